package dev.herald.server.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * The fuzz suite's generators: paths of every endpoint with good and bad names, query strings,
 * headers, and bodies (valid ones, mutated ones, random JSON and random bytes).
 */
final class Fuzz {
  static final ObjectMapper JSON = new ObjectMapper();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Objects that exist in the fuzzed instance, so that some requests reach real handlers. */
  static final String BUS = "fz-bus";

  static final String QUEUE = "fz-queue";
  static final String LOG = "fz-log";
  static final String RULE = "fz-rule";

  private Fuzz() {}

  record Request(
      String method,
      String path,
      String query,
      String contentType,
      byte[] body,
      Map<String, String> headers) {
    @Override
    public String toString() {
      String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
      return method
          + " "
          + path
          + (query.isEmpty() ? "" : "?" + query)
          + " ["
          + contentType
          + "] "
          + headers.keySet()
          + " "
          + text;
    }
  }

  private static final List<String> TEMPLATES =
      List.of(
          "/v1/events",
          "/v1/cloudevents",
          "/v1/events/{id}",
          "/v1/buses",
          "/v1/buses/{bus}",
          "/v1/buses/{bus}/rules",
          "/v1/buses/{bus}/rules/{rule}",
          "/v1/targets",
          "/v1/targets/{target}",
          "/v1/targets/{target}/resume",
          "/v1/targets/{target}/dlq",
          "/v1/targets/{target}/dlq/{id}",
          "/v1/targets/{target}/dlq/redrive",
          "/v1/queues/{queue}",
          "/v1/queues/{queue}/receive",
          "/v1/queues/{queue}/ack",
          "/v1/queues/{queue}/nack",
          "/v1/queues/{queue}/visibility",
          "/v1/audit",
          "/v1/audit/verify",
          "/v1/analytics/counts",
          "/v1/keys",
          "/v1/keys/{id}",
          "/v1/test-pattern",
          "/health",
          "/metrics",
          "/v1/nothing-here");

  static Arbitrary<String> names(String existing) {
    return Arbitraries.frequencyOf(
        Tuple(6, Arbitraries.just(existing)),
        Tuple(3, Arbitraries.strings().withChars("abcxyz-_09").ofMinLength(1).ofMaxLength(20)),
        Tuple(
            4,
            Arbitraries.of(
                ".",
                "..",
                "%2e%2e",
                "%2E.",
                "a%00b",
                "%ZZ",
                "%",
                "a%2Fb",
                "é",
                "%C3%A9",
                "x".repeat(300),
                "a b",
                "a;b",
                "-",
                "_",
                "01M8CCHZSN000000G000000000")));
  }

  private static <T> net.jqwik.api.Tuple.Tuple2<Integer, Arbitrary<? extends T>> Tuple(
      int weight, Arbitrary<? extends T> arbitrary) {
    return net.jqwik.api.Tuple.of(weight, arbitrary);
  }

  static Arbitrary<String> paths() {
    return Arbitraries.of(TEMPLATES)
        .flatMap(
            template ->
                Combinators.combine(
                        names(BUS), names(RULE), names(LOG), names(QUEUE), names("fz-id"))
                    .as(
                        (bus, rule, target, queue, id) ->
                            template
                                .replace("{bus}", bus)
                                .replace("{rule}", rule)
                                .replace("{target}", target)
                                .replace("{queue}", queue)
                                .replace("{id}", id)));
  }

  static Arbitrary<String> methods() {
    return Arbitraries.frequency(
        net.jqwik.api.Tuple.of(3, "GET"),
        net.jqwik.api.Tuple.of(4, "POST"),
        net.jqwik.api.Tuple.of(3, "PUT"),
        net.jqwik.api.Tuple.of(1, "DELETE"),
        net.jqwik.api.Tuple.of(1, "PATCH"));
  }

  private static final List<String> QUERY_KEYS =
      List.of(
          "limit",
          "after",
          "from",
          "to",
          "bus",
          "source",
          "detailType",
          "groupBy",
          "interval",
          "top",
          "all",
          "cursor",
          "x");
  private static final List<String> QUERY_VALUES =
      List.of(
          "",
          "-1",
          "0",
          "1",
          "100",
          "1e100",
          "99999999999999999999",
          "abc",
          "true",
          "2026-12-07T00:00:00Z",
          "%2B999999999-01-01T00:00:00Z",
          "0000-01-01T00:00:00Z",
          "%",
          "%zz",
          "1m",
          "1d",
          "source",
          "detailType",
          "a%00b",
          "x".repeat(2_000));

  static Arbitrary<String> queries() {
    Arbitrary<String> pair =
        Combinators.combine(Arbitraries.of(QUERY_KEYS), Arbitraries.of(QUERY_VALUES))
            .as((k, v) -> k + "=" + v);
    return Arbitraries.frequencyOf(
        Tuple(3, Arbitraries.just("")),
        Tuple(3, pair.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("&", l))),
        Tuple(1, Arbitraries.strings().ofMaxLength(40).map(Fuzz::percentEncodeSome)));
  }

  /** Random text with its reserved characters percent-encoded, and a few left raw. */
  private static String percentEncodeSome(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (Character.isLetterOrDigit(c) || c == '=' || c == '&' || c == '%') {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  static Arbitrary<String> contentTypes() {
    return Arbitraries.frequency(
        net.jqwik.api.Tuple.of(14, "application/json"),
        net.jqwik.api.Tuple.of(1, "application/json; charset=utf-8"),
        net.jqwik.api.Tuple.of(1, "application/cloudevents+json"),
        net.jqwik.api.Tuple.of(1, "application/cloudevents-batch+json"),
        net.jqwik.api.Tuple.of(1, "text/plain"),
        net.jqwik.api.Tuple.of(1, "application/x-www-form-urlencoded"),
        net.jqwik.api.Tuple.of(1, "multipart/form-data; boundary=x"),
        net.jqwik.api.Tuple.of(1, "application/json; charset=latin1"),
        net.jqwik.api.Tuple.of(1, "*/*"),
        net.jqwik.api.Tuple.of(1, ""));
  }

  /** Headers besides Content-Type: the admin key mostly, sometimes none, a bad one, an Origin. */
  static Arbitrary<Map<String, String>> headers(String adminKey) {
    Arbitrary<String> authorization =
        Arbitraries.frequency(
            net.jqwik.api.Tuple.of(16, "Bearer " + adminKey),
            net.jqwik.api.Tuple.of(1, ""),
            net.jqwik.api.Tuple.of(1, "Bearer hk_nobody.aaaaaaaaaaaaaaaaaaaaaaaa"),
            net.jqwik.api.Tuple.of(1, "Bearer " + adminKey + "x"),
            net.jqwik.api.Tuple.of(1, "Basic YWRtaW46YWRtaW4="),
            net.jqwik.api.Tuple.of(1, "Bearer"),
            net.jqwik.api.Tuple.of(1, "Bearer " + "a".repeat(5_000)));
    Arbitrary<String> origin =
        Arbitraries.frequency(
            net.jqwik.api.Tuple.of(12, ""),
            net.jqwik.api.Tuple.of(1, "http://evil.example"),
            net.jqwik.api.Tuple.of(1, "null"),
            net.jqwik.api.Tuple.of(1, "http://127.0.0.1"));
    Arbitrary<String> extraValue = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(100);
    return Combinators.combine(authorization, origin, extraValue)
        .as(
            (auth, o, extra) -> {
              Map<String, String> headers = new java.util.LinkedHashMap<>();
              if (!auth.isEmpty()) {
                headers.put("Authorization", auth);
              }
              if (!o.isEmpty()) {
                headers.put("Origin", o);
              }
              headers.put("X-Fuzz", extra.strip());
              return headers;
            });
  }

  /** Valid bodies of the endpoints, before mutation. */
  static final List<String> VALID =
      List.of(
          "{\"entries\":[{\"source\":\"fz.src\",\"detailType\":\"T\",\"detail\":{\"n\":1}}]}",
          "{\"type\":\"log\"}",
          "{\"type\":\"queue\",\"queue\":{\"visibilitySeconds\":30},\"retry\":{\"maxAttempts\":3}}",
          "{\"type\":\"webhook\",\"webhook\":{\"url\":\"http://127.0.0.1:9/hook\"},"
              + "\"timeoutMs\":1000,\"retry\":{\"maxAttempts\":2}}",
          "{\"pattern\":{\"source\":[{\"prefix\":\"fz.\"}]},\"targets\":[{\"target\":\"fz-log\"}]}",
          "{\"description\":\"fuzzed\"}",
          "{\"name\":\"fz-key\",\"scopes\":[\"read\",\"publish:*\"]}",
          "{\"max\":10,\"waitSeconds\":0,\"visibilitySeconds\":30}",
          "{\"receiptHandles\":[\"x\"],\"delaySeconds\":1}",
          "{\"receiptHandle\":\"x\",\"visibilitySeconds\":60}",
          "{\"ids\":[\"fz-id\"]}",
          "{\"all\":true}",
          "{\"pattern\":{\"detail\":{\"n\":[{\"numeric\":[\">\",0]}]}},"
              + "\"event\":{\"source\":\"s\",\"detail\":{\"n\":2}}}");

  private static final List<JsonNode> WEIRD =
      List.of(
          NODES.nullNode(),
          NODES.numberNode(-1),
          NODES.numberNode(new BigInteger("18446744073709556616")),
          NODES.numberNode(1e100),
          NODES.numberNode(0.5),
          NODES.textNode(""),
          NODES.textNode(".."),
          NODES.textNode("a\u0000b"),
          NODES.textNode("+999999999-01-01T00:00:00Z"),
          NODES.textNode("x".repeat(70_000)),
          NODES.booleanNode(true),
          NODES.objectNode(),
          NODES.arrayNode(),
          NODES.arrayNode().add(NODES.objectNode()).add(5).addNull());

  static Arbitrary<byte[]> bodies() {
    return Arbitraries.frequencyOf(
        Tuple(1, Arbitraries.just(new byte[0])),
        Tuple(4, Arbitraries.of(VALID).map(s -> s.getBytes(StandardCharsets.UTF_8))),
        Tuple(5, structuralMutations()),
        Tuple(4, textMutations()),
        Tuple(2, jsonValues(4).map(Fuzz::bytes)),
        Tuple(1, deepNesting()),
        Tuple(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(300)));
  }

  /** A valid body with one of its values (or an added field) replaced by a weird one. */
  private static Arbitrary<byte[]> structuralMutations() {
    return Combinators.combine(
            Arbitraries.of(VALID),
            Arbitraries.integers().between(0, 1_000),
            Arbitraries.of(WEIRD),
            Arbitraries.of(true, false))
        .as(
            (valid, pick, weird, add) -> {
              JsonNode root = parse(valid);
              List<JsonNode> containers = new ArrayList<>();
              collect(root, containers);
              JsonNode at = containers.get(pick % containers.size());
              if (at instanceof ObjectNode object) {
                List<String> fields = new ArrayList<>();
                object.fieldNames().forEachRemaining(fields::add);
                String field =
                    add || fields.isEmpty() ? "fz" + pick : fields.get(pick % fields.size());
                object.set(field, weird.deepCopy());
              } else if (at instanceof ArrayNode array) {
                if (add || array.isEmpty()) {
                  array.add(weird.deepCopy());
                } else {
                  array.set(pick % array.size(), weird.deepCopy());
                }
              }
              return bytes(root);
            });
  }

  /** A valid body with a few characters deleted, inserted or replaced. */
  private static Arbitrary<byte[]> textMutations() {
    Arbitrary<int[]> edits =
        Arbitraries.integers().between(0, 100_000).array(int[].class).ofMinSize(1).ofMaxSize(4);
    Arbitrary<String> inserts =
        Arbitraries.of(
            "\"", "{", "}", "[", "]", ",", ":", "\\", "\\u", "0", "-", "e", "null", "\u0000",
            "\uD800", "é", "1e999");
    return Combinators.combine(Arbitraries.of(VALID), edits, inserts)
        .as(
            (valid, at, insert) -> {
              StringBuilder text = new StringBuilder(valid);
              for (int i = 0; i < at.length; i++) {
                int pos = at[i] % (text.length() + 1);
                switch (at[i] % 3) {
                  case 0 -> text.insert(pos, insert);
                  case 1 -> {
                    if (pos < text.length()) {
                      text.deleteCharAt(pos);
                    }
                  }
                  default -> {
                    if (pos < text.length()) {
                      text.setCharAt(pos, insert.charAt(0));
                    }
                  }
                }
              }
              return text.toString().getBytes(StandardCharsets.UTF_8);
            });
  }

  private static Arbitrary<byte[]> deepNesting() {
    return Arbitraries.integers()
        .between(100, 5_000)
        .map(depth -> ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.UTF_8));
  }

  static Arbitrary<JsonNode> jsonValues(int depth) {
    Arbitrary<JsonNode> leaves =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(30).map(NODES::textNode),
            Arbitraries.integers().map(i -> (JsonNode) NODES.numberNode(i)),
            Arbitraries.doubles().map(d -> (JsonNode) NODES.numberNode(d)),
            Arbitraries.bigIntegers()
                .between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30))
                .map(i -> (JsonNode) NODES.numberNode(i)),
            Arbitraries.of(true, false).map(b -> (JsonNode) NODES.booleanNode(b)),
            Arbitraries.just(NODES.nullNode()));
    if (depth == 0) {
      return leaves;
    }
    Arbitrary<JsonNode> children = Arbitraries.lazy(() -> jsonValues(depth - 1));
    Arbitrary<JsonNode> arrays =
        children.list().ofMaxSize(4).map(l -> (JsonNode) NODES.arrayNode().addAll(l));
    Arbitrary<JsonNode> objects =
        Arbitraries.maps(
                Arbitraries.of(
                    "entries",
                    "source",
                    "detailType",
                    "detail",
                    "type",
                    "pattern",
                    "targets",
                    "name",
                    "scopes",
                    "max",
                    "ids",
                    "time",
                    "bus",
                    "x"),
                children)
            .ofMaxSize(4)
            .map(
                m -> {
                  ObjectNode o = NODES.objectNode();
                  m.forEach(o::set);
                  return (JsonNode) o;
                });
    return Arbitraries.oneOf(leaves, arrays, objects);
  }

  private static void collect(JsonNode node, List<JsonNode> containers) {
    if (node.isContainerNode()) {
      containers.add(node);
      node.forEach(child -> collect(child, containers));
    }
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(json, e);
    }
  }

  static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
