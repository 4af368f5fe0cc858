package dev.herald.targets;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.PermanentException;
import dev.herald.api.RetryableException;
import dev.herald.api.delivery.Delivery;
import dev.herald.api.delivery.Outcome;
import dev.herald.api.delivery.Target;
import dev.herald.core.config.ConfigException;
import dev.herald.core.config.TargetSpecs;
import dev.herald.core.json.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The analytics target over a sink that records what it is given (or fails on demand): what it
 * hands over, and how sink failures become outcomes. The store behind the real sink is tested in
 * herald-analytics, the whole path in herald-server.
 */
class AnalyticsTargetTest {
  private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
  private static final String EVENT = "01M8CCHZSN000000G000000000";

  record Appended(String key, String eventId, Optional<ObjectNode> envelope, Instant deadline) {}

  /** Records appends; {@code failure} (when set) is thrown instead. */
  static final class RecordingSink implements AnalyticsSink {
    final List<Appended> appended = new ArrayList<>();
    int prepared;
    Supplier<RuntimeException> failure;

    @Override
    public void prepare() {
      prepared++;
    }

    @Override
    public synchronized boolean append(
        String deliveryKey, String eventId, Optional<ObjectNode> envelope, Instant deadline) {
      if (failure != null) {
        throw failure.get();
      }
      appended.add(new Appended(deliveryKey, eventId, envelope, deadline));
      return true;
    }
  }

  private final RecordingSink sink = new RecordingSink();
  private final TargetContext context =
      new TargetContext(
          InstantSource.fixed(NOW),
          false,
          Set.of(),
          Path.of("plugins"),
          TargetServices.none().with(AnalyticsSink.class, sink));

  private Target analytics() throws Exception {
    return Targets.create(
        TargetSpecs.parse("stats", Json.MAPPER.readTree("{\"type\":\"analytics\"}")), context);
  }

  private static Delivery delivery(String input, boolean json, Instant deadline) {
    return new Delivery(
        "dk-1", EVENT, "all", 1, input.getBytes(UTF_8), json, Optional.empty(), deadline);
  }

  private static String envelope() {
    return "{\"version\":\"0\",\"id\":\""
        + EVENT
        + "\",\"detail-type\":\"OrderPlaced\",\"source\":\"shop.orders\",\"account\":\"0\","
        + "\"time\":\"2026-11-26T10:00:00Z\",\"region\":\"local\",\"resources\":[],"
        + "\"detail\":{\"orderId\":\"o-1\"}}";
  }

  @Test
  void handsTheDeliveredEnvelopeWithItsDeliveryKeyToTheSink() throws Exception {
    Instant deadline = NOW.plusSeconds(5);
    try (Target target = analytics()) {
      assertThat(target.deliver(delivery(envelope(), true, deadline)))
          .isEqualTo(new Outcome.Delivered());
    }

    assertThat(sink.appended)
        .containsExactly(
            new Appended(
                "dk-1",
                EVENT,
                Optional.of((ObjectNode) Json.MAPPER.readTree(envelope())),
                deadline));
  }

  @Test
  void aShapedInputLetsTheSinkFindTheEventByItsId() throws Exception {
    try (Target target = analytics()) {
      target.deliver(delivery("{\"orderId\":\"o-1\"}", true, NOW.plusSeconds(5)));
      target.deliver(delivery("order o-1", false, NOW.plusSeconds(5)));
    }

    assertThat(sink.appended).extracting(Appended::envelope).containsOnly(Optional.empty());
  }

  @Test
  void aFailingSinkIsARetry() throws Exception {
    sink.failure = () -> new RetryableException("disk full");
    try (Target target = analytics()) {
      assertThat(target.deliver(delivery(envelope(), true, NOW.plusSeconds(5))))
          .isEqualTo(new Outcome.Retry("AnalyticsUnavailable", "disk full"));
      assertThat(target.deliver(delivery(envelope(), true, NOW)))
          .isEqualTo(new Outcome.Retry("Timeout", "disk full"));
    }
  }

  @Test
  void anEventThatCanNeverBeStoredIsADeadLetter() throws Exception {
    sink.failure = () -> new PermanentException("event not found");
    try (Target target = analytics()) {
      assertThat(target.deliver(delivery(envelope(), true, NOW.plusSeconds(5))))
          .isEqualTo(new Outcome.Permanent("PermanentFailure", "event not found"));
    }
  }

  @Test
  void buildingATargetStartsOpeningTheStore() throws Exception {
    analytics().close();

    assertThat(sink.prepared).isEqualTo(1);
  }

  @Test
  void withoutASinkTheTypeIsUnsupported() {
    assertThatThrownBy(
            () ->
                Targets.create(
                    TargetSpecs.parse("stats", Json.MAPPER.readTree("{\"type\":\"analytics\"}")),
                    TargetsTest.CONTEXT))
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class,
            e -> {
              assertThat(e.code()).isEqualTo("UnsupportedTargetType");
              assertThat(e.field()).isEqualTo("type");
            });
  }

  @Test
  void settingsAreRefusedNamingTheField() {
    assertThatThrownBy(
            () ->
                TargetSpecs.parse(
                    "stats",
                    Json.MAPPER.readTree("{\"type\":\"analytics\",\"analytics\":{\"x\":1}}")))
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class, e -> assertThat(e.field()).isEqualTo("analytics.x"));
  }
}
