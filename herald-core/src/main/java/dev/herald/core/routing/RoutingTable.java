package dev.herald.core.routing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.config.RuleSpec;
import dev.herald.core.pattern.CompiledPattern;
import dev.herald.core.pattern.PatternCompiler;
import dev.herald.core.pattern.RuleMatcher;
import dev.herald.core.shaping.InputShape;
import dev.herald.core.shaping.TransformException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The enabled rules of one bus, compiled: which (rule, target) pairs an event goes to and the input
 * each target receives. Immutable and thread-safe; rebuilt whole when a rule changes.
 */
public final class RoutingTable {

  /** One delivery an event produced. */
  public sealed interface Delivery {
    String rule();

    String target();

    String deliveryKey();

    /** Ready to write to the target's topic; {@code json} is false for plain-text templates. */
    record Ready(String rule, String target, String deliveryKey, byte[] input, boolean json)
        implements Delivery {}

    /** Shaping failed: the delivery is a dead letter with this code from the start. */
    record Failed(String rule, String target, String deliveryKey, String code, String message)
        implements Delivery {}
  }

  private record Route(String target, InputShape shape) {}

  private final String bus;
  private final RuleMatcher matcher;
  private final Map<String, List<Route>> routes;
  private final Map<String, CompiledPattern> patterns;

  private RoutingTable(
      String bus,
      RuleMatcher matcher,
      Map<String, List<Route>> routes,
      Map<String, CompiledPattern> patterns) {
    this.bus = bus;
    this.matcher = matcher;
    this.routes = routes;
    this.patterns = patterns;
  }

  /** Compiles the enabled rules (rules were checked when stored; this only builds). */
  public static RoutingTable build(String bus, List<RuleSpec> rules) {
    return build(bus, rules, Optional.empty());
  }

  /**
   * Compiles the enabled rules, reusing from {@code previous} the compiled patterns that did not
   * change and the matcher machines whose rules did not change: a rule change on a bus with
   * thousands of rules rebuilds only what it touched.
   */
  public static RoutingTable build(
      String bus, List<RuleSpec> rules, Optional<RoutingTable> previous) {
    RuleMatcher.Builder matcher = RuleMatcher.builder();
    previous.ifPresent(p -> matcher.replacing(p.matcher));
    Map<String, List<Route>> routes = new HashMap<>();
    Map<String, CompiledPattern> patterns = new HashMap<>();
    for (RuleSpec rule : rules) {
      if (!rule.enabled() || rule.targets().isEmpty()) {
        continue;
      }
      CompiledPattern known = previous.map(p -> p.patterns.get(rule.name())).orElse(null);
      CompiledPattern pattern =
          known != null && known.json().equals(rule.pattern())
              ? known
              : PatternCompiler.compile(rule.pattern());
      patterns.put(rule.name(), pattern);
      matcher.add(rule.name(), pattern);
      List<Route> targets = new ArrayList<>();
      for (RuleSpec.RuleTarget t : rule.targets()) {
        targets.add(
            new Route(
                t.target(), InputShape.compile(t.input(), t.inputPath(), t.inputTransformer())));
      }
      routes.put(rule.name(), List.copyOf(targets));
    }
    return new RoutingTable(bus, matcher.build(), Map.copyOf(routes), Map.copyOf(patterns));
  }

  public static RoutingTable empty(String bus) {
    return build(bus, List.of());
  }

  public String bus() {
    return bus;
  }

  public int ruleCount() {
    return routes.size();
  }

  /** The deliveries of one event: one per (matched rule, target), in rule then target order. */
  public List<Delivery> route(RoutableEvent event, Optional<String> replay) {
    List<String> matched = matcher.matches(event.envelope());
    if (matched.isEmpty()) {
      return List.of();
    }
    String eventId = event.event().id().toString();
    Instant ingestedAt = event.event().ingestedAt();
    List<Delivery> deliveries = new ArrayList<>();
    for (String rule : matched.stream().sorted().toList()) {
      for (Route route : routes.getOrDefault(rule, List.of())) {
        String key = DeliveryKey.of(eventId, rule, route.target(), replay);
        deliveries.add(
            shape(rule, route, key, ingestedAt, event.envelope(), event.envelopeBytes()));
      }
    }
    return deliveries;
  }

  /**
   * The input of one delivery shaped again with the rule's current shaping (a redrive); the
   * envelope itself when the rule no longer sends to that target.
   */
  public Delivery reshape(
      String rule, String target, String deliveryKey, ObjectNode envelope, Instant ingestedAt) {
    Route route =
        routes.getOrDefault(rule, List.of()).stream()
            .filter(r -> r.target().equals(target))
            .findFirst()
            .orElse(new Route(target, InputShape.identity()));
    return shape(
        rule,
        route,
        deliveryKey,
        ingestedAt,
        envelope,
        envelope.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static Delivery shape(
      String rule,
      Route route,
      String key,
      Instant ingestedAt,
      ObjectNode envelope,
      byte[] envelopeBytes) {
    if (route.shape().isIdentity()) { // every unshaped delivery of the event shares the bytes
      return new Delivery.Ready(rule, route.target(), key, envelopeBytes, true);
    }
    try {
      InputShape.Output output = route.shape().apply(envelope, rule, ingestedAt);
      return new Delivery.Ready(rule, route.target(), key, output.bytes(), output.json());
    } catch (TransformException e) {
      return new Delivery.Failed(rule, route.target(), key, "TransformError", e.getMessage());
    }
  }
}
