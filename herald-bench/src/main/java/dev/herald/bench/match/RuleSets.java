package dev.herald.bench.match;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Seeded rule sets and events for {@link MatchBenchmark}: delivered envelopes of about 550 bytes
 * and EventBridge patterns of the shapes real buses hold. Pure functions of the seed.
 */
final class RuleSets {
  private static final String[] STATES = {"placed", "paid", "shipped", "cancelled", "refunded"};
  private static final String[] COUNTRIES = {"DE", "FR", "US", "JP", "BR", "IN", "GB", "NL"};
  private static final String[] TYPES = {
    "OrderPlaced",
    "OrderPaid",
    "OrderShipped",
    "OrderCancelled",
    "RefundIssued",
    "UserSignedUp",
    "UserDeleted",
    "InvoiceSent",
    "StockLow",
    "PriceChanged"
  };

  private RuleSets() {}

  /** A rule id and its pattern text. */
  record Rule(String id, String pattern) {}

  /**
   * Rules of one bus whose events come from {@code sources} sources, in the proportions of {@link
   * #mixedPattern}: 85% name exact sources, the others use detail-type, source prefixes, {@code
   * $or} or no source at all.
   */
  static List<Rule> mixed(int count, int sources, long seed) {
    return generate(count, sources, seed, false);
  }

  /** Rules of the same shapes as {@link #mixed}, but every one names exact sources. */
  static List<Rule> perSource(int count, int sources, long seed) {
    return generate(count, sources, seed, true);
  }

  /**
   * Routing-style rules, which pick events by who sent them and what they are: exact source and
   * detail-type 70%, exact source and a list of detail-types 10%, exact source and one detail field
   * 10%, source prefix and detail-type 5%, {@code $or} of source and detail-type 5%.
   */
  static List<Rule> routing(int count, int sources, long seed) {
    Random random = new Random(seed);
    List<Rule> rules = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      rules.add(new Rule("rule-" + i, routingPattern(random, sources)));
    }
    return rules;
  }

  private static String routingPattern(Random random, int sources) {
    String source = "\"" + source(random.nextInt(sources)) + "\"";
    String type = "\"" + TYPES[random.nextInt(TYPES.length)] + "\"";
    int pick = random.nextInt(100);
    if (pick < 70) {
      return "{\"source\":[" + source + "],\"detail-type\":[" + type + "]}";
    } else if (pick < 80) {
      return "{\"source\":["
          + source
          + "],\"detail-type\":["
          + type
          + ",\""
          + TYPES[random.nextInt(TYPES.length)]
          + "\"]}";
    } else if (pick < 90) {
      return "{\"source\":["
          + source
          + "],\"detail\":{\"state\":[\""
          + STATES[random.nextInt(STATES.length)]
          + "\"]}}";
    } else if (pick < 95) {
      return "{\"source\":[{\"prefix\":\"shop."
          + random.nextInt(10)
          + "\"}],\"detail-type\":["
          + type
          + "]}";
    }
    return "{\"$or\":[{\"source\":[" + source + "]},{\"detail-type\":[" + type + "]}]}";
  }

  private static List<Rule> generate(int count, int sources, long seed, boolean namesSource) {
    Random random = new Random(seed);
    List<Rule> rules = new ArrayList<>(count);
    while (rules.size() < count) {
      String pattern = mixedPattern(random, sources);
      if (!namesSource || pattern.startsWith("{\"source\":[\"")) {
        rules.add(new Rule("rule-" + rules.size(), pattern));
      }
    }
    return rules;
  }

  /** Events from {@code sources} sources, as delivered envelopes. */
  static List<String> events(int count, int sources, long seed) {
    Random random = new Random(seed);
    List<String> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      events.add(event(random, sources, i));
    }
    return events;
  }

  /**
   * One rule of a typical bus, drawn with these weights (of 100): exact source and detail-type 35;
   * exact source and one detail field 15; source, detail-type and a bounded numeric range 8;
   * anything-but 5; two sources and a nested field 5; exists false 4; suffix 4; prefix on an array
   * of objects 3; detail-type and equals-ignore-case 3; source prefix and detail-type 3; cidr 3;
   * {@code $or} 4; a one-sided numeric range without source 3; wildcard over resources 1; exact
   * source and a list of detail-types 4.
   */
  private static String mixedPattern(Random random, int sources) {
    String source = "\"" + source(random.nextInt(sources)) + "\"";
    String type = "\"" + TYPES[random.nextInt(TYPES.length)] + "\"";
    String state = STATES[random.nextInt(STATES.length)];
    int low = random.nextInt(900);
    int pick = random.nextInt(100);
    if (pick < 35) {
      return "{\"source\":[" + source + "],\"detail-type\":[" + type + "]}";
    } else if (pick < 50) {
      return "{\"source\":[" + source + "],\"detail\":{\"state\":[\"" + state + "\"]}}";
    } else if (pick < 58) {
      return "{\"source\":["
          + source
          + "],\"detail-type\":["
          + type
          + "],"
          + "\"detail\":{\"total\":[{\"numeric\":[\">=\","
          + low
          + ",\"<\","
          + (low + 100)
          + "]}]}}";
    } else if (pick < 63) {
      return "{\"source\":["
          + source
          + "],\"detail\":{\"country\":[{\"anything-but\":[\"DE\",\"FR\"]}]}}";
    } else if (pick < 68) {
      return "{\"source\":["
          + source
          + ",\""
          + source(random.nextInt(sources))
          + "\"],"
          + "\"detail\":{\"customer\":{\"tier\":[\"gold\"]}}}";
    } else if (pick < 72) {
      return "{\"source\":["
          + source
          + "],\"detail\":{\"coupon\":[{\"exists\":false}],"
          + "\"state\":[\""
          + state
          + "\"]}}";
    } else if (pick < 76) {
      return "{\"source\":[" + source + "],\"detail\":{\"email\":[{\"suffix\":\"@example.com\"}]}}";
    } else if (pick < 79) {
      return "{\"source\":["
          + source
          + "],\"detail\":{\"items\":{\"sku\":[{\"prefix\":\"SKU-"
          + random.nextInt(100)
          + "-\"}]}}}";
    } else if (pick < 82) {
      return "{\"detail-type\":["
          + type
          + "],\"detail\":{\"state\":[{\"equals-ignore-case\":\""
          + state.toUpperCase(Locale.ROOT)
          + "\"}]}}";
    } else if (pick < 85) {
      return "{\"source\":[{\"prefix\":\"shop."
          + random.nextInt(10)
          + "\"}],\"detail-type\":["
          + type
          + "]}";
    } else if (pick < 88) {
      return "{\"detail-type\":["
          + type
          + "],\"detail\":{\"ip\":[{\"cidr\":\"10."
          + random.nextInt(256)
          + ".0.0/16\"}]}}";
    } else if (pick < 92) {
      return "{\"$or\":[{\"source\":["
          + source
          + "]},{\"detail-type\":["
          + type
          + "]}],"
          + "\"detail\":{\"country\":[\""
          + COUNTRIES[random.nextInt(COUNTRIES.length)]
          + "\"]}}";
    } else if (pick < 95) {
      return "{\"detail\":{\"total\":[{\"numeric\":[\">\","
          + (900 + random.nextInt(100))
          + "]}],\"state\":[\""
          + state
          + "\"]}}";
    } else if (pick < 96) {
      return "{\"source\":["
          + source
          + "],\"resources\":[{\"wildcard\":\"arn:herald:*:order/"
          + random.nextInt(10)
          + "*\"}]}";
    }
    return "{\"source\":["
        + source
        + "],\"detail-type\":["
        + type
        + ",\""
        + TYPES[random.nextInt(TYPES.length)]
        + "\"]}";
  }

  private static String event(Random random, int sources, int n) {
    return "{\"version\":\"0\",\"id\":\"06F3K8ZQ0C"
        + String.format("%016d", n)
        + "\","
        + "\"detail-type\":\""
        + TYPES[random.nextInt(TYPES.length)]
        + "\","
        + "\"source\":\""
        + source(random.nextInt(sources))
        + "\","
        + "\"account\":\"000000000000\",\"time\":\"2026-11-26T10:00:00Z\",\"region\":\"local\","
        + "\"resources\":[\"arn:herald:local:order/"
        + random.nextInt(1000)
        + "\"],"
        + "\"detail\":{\"orderId\":\"o-"
        + n
        + "\",\"state\":\""
        + STATES[random.nextInt(STATES.length)]
        + "\",\"total\":"
        + random.nextInt(1000)
        + "."
        + random.nextInt(100)
        + ",\"country\":\""
        + COUNTRIES[random.nextInt(COUNTRIES.length)]
        + "\","
        + "\"email\":\"user"
        + random.nextInt(100)
        + (random.nextBoolean() ? "@example.com" : "@mail.test")
        + "\",\"ip\":\"10."
        + random.nextInt(256)
        + "."
        + random.nextInt(256)
        + ".7\","
        + "\"customer\":{\"id\":\"c-"
        + random.nextInt(10_000)
        + "\",\"tier\":\""
        + (random.nextInt(4) == 0 ? "gold" : "standard")
        + "\"},"
        + (random.nextInt(3) == 0 ? "\"coupon\":\"WINTER\"," : "")
        + "\"items\":[{\"sku\":\"SKU-"
        + random.nextInt(100)
        + "-a\",\"qty\":"
        + (1 + random.nextInt(5))
        + "},{\"sku\":\"SKU-"
        + random.nextInt(100)
        + "-b\",\"qty\":1}]}}";
  }

  private static String source(int n) {
    return "shop." + n;
  }
}
