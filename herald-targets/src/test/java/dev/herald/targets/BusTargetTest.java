package dev.herald.targets;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.delivery.Delivery;
import dev.herald.api.delivery.Outcome;
import dev.herald.api.delivery.Target;
import dev.herald.core.config.ConfigException;
import dev.herald.core.config.TargetSpecs;
import dev.herald.core.json.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The bus target's own decisions (hop limit, envelope to entry, outcomes) against a publisher that
 * records what it is given and answers as the test says; the real ingest path is tested in
 * herald-server's {@code BusTargetTest}.
 */
class BusTargetTest {
  static final String ENVELOPE =
      """
      {"version": "0", "id": "evt-7", "detail-type": "OrderPlaced", "source": "shop.orders",
       "account": "000000000000", "time": "2026-11-26T10:00:00Z", "region": "local",
       "resources": ["arn:order/o-7"], "detail": {"orderId": "o-7", "total": 150}}
      """;

  record Call(ObjectNode entry, int hops, Optional<String> traceparent) {}

  /** A publisher that records each call and answers with {@code answer}. */
  static final class RecordingPublisher implements BusPublisher {
    final List<Call> calls = new CopyOnWriteArrayList<>();
    volatile Supplier<Result> answer = () -> new Result.Published("evt-new");

    @Override
    public Result publish(ObjectNode entry, int hops, Optional<String> traceparent) {
      calls.add(new Call(entry, hops, traceparent));
      return answer.get();
    }
  }

  final RecordingPublisher publisher = new RecordingPublisher();

  Target bus(String settings) {
    TargetContext context =
        new TargetContext(
            InstantSource.system(),
            false,
            Set.of(),
            Path.of("plugins"),
            TargetServices.none().with(BusPublisher.class, publisher));
    try {
      return Targets.create(
          TargetSpecs.parse(
              "to-audit", Json.MAPPER.readTree("{\"type\": \"bus\", \"bus\": " + settings + "}")),
          context);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  static Delivery delivery(String input, boolean json, int hops, Duration timeout) {
    return new Delivery(
        "dk-7",
        "evt-7",
        "orders",
        1,
        input.getBytes(UTF_8),
        json,
        Optional.of("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
        Instant.now().plus(timeout),
        hops);
  }

  static Delivery delivery(int hops) {
    return delivery(ENVELOPE, true, hops, Duration.ofSeconds(10));
  }

  @Test
  void republishesTheEnvelopeAsAnEntryWhoseIdIsTheDeliveryKeyWithOneMoreHop() throws Exception {
    try (Target target = bus("{\"bus\": \"audit\"}")) {
      assertThat(target.deliver(delivery(2))).isEqualTo(new Outcome.Delivered());
    }
    Call call = publisher.calls.getFirst();
    assertThat(call.entry())
        .isEqualTo(
            Json.MAPPER.readTree(
                """
                {"bus": "audit", "source": "shop.orders", "detailType": "OrderPlaced",
                 "detail": {"orderId": "o-7", "total": 150}, "time": "2026-11-26T10:00:00Z",
                 "resources": ["arn:order/o-7"], "id": "dk-7"}
                """));
    assertThat(call.hops()).isEqualTo(3);
    assertThat(call.traceparent())
        .contains("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  }

  @Test
  void anEventAtTheHopLimitIsADeadLetterNamingTheBusAndTheHopsAndIsNotPublished() {
    try (Target target = bus("{\"bus\": \"audit\"}")) {
      assertThat(target.deliver(delivery(BusPublisher.MAX_HOPS - 1)))
          .isEqualTo(new Outcome.Delivered());
      Outcome outcome = target.deliver(delivery(BusPublisher.MAX_HOPS));
      assertThat(outcome).isInstanceOf(Outcome.Permanent.class);
      Outcome.Permanent permanent = (Outcome.Permanent) outcome;
      assertThat(permanent.code()).isEqualTo("HopLimitExceeded");
      assertThat(permanent.message())
          .contains("'audit'")
          .contains(BusPublisher.MAX_HOPS + " times")
          .contains("evt-7")
          .contains("loop");
    }
    assertThat(publisher.calls).hasSize(1);
    assertThat(publisher.calls.getFirst().hops()).isEqualTo(BusPublisher.MAX_HOPS);
  }

  @Test
  void aShapedInputIsANotAnEnvelopeDeadLetter() {
    try (Target target = bus("{\"bus\": \"audit\"}")) {
      Outcome json =
          target.deliver(delivery("{\"orderId\": \"o-7\"}", true, 0, Duration.ofSeconds(10)));
      Outcome text = target.deliver(delivery("order o-7", false, 0, Duration.ofSeconds(10)));
      Outcome array = target.deliver(delivery("[1, 2]", true, 0, Duration.ofSeconds(10)));

      for (Outcome outcome : List.of(json, text, array)) {
        assertThat(outcome).isInstanceOf(Outcome.Permanent.class);
        assertThat(((Outcome.Permanent) outcome).code()).isEqualTo("NotAnEnvelope");
        assertThat(((Outcome.Permanent) outcome).message())
            .contains("to-audit")
            .contains("inputTransformer");
      }
    }
    assertThat(publisher.calls).isEmpty();
  }

  @Test
  void ingestAnswersMapToOutcomes() {
    try (Target target = bus("{\"bus\": \"audit\"}")) {
      publisher.answer =
          () -> new BusPublisher.Result.Refused("UnknownBus", "bus 'audit' does not exist", "bus");
      Outcome missing = target.deliver(delivery(0));
      assertThat(missing).isInstanceOf(Outcome.Permanent.class);
      assertThat(((Outcome.Permanent) missing).code()).isEqualTo("BusNotFound");
      assertThat(((Outcome.Permanent) missing).message()).contains("'audit'");

      publisher.answer =
          () -> new BusPublisher.Result.Refused("InvalidField", "time must be...", "time");
      Outcome invalid = target.deliver(delivery(0));
      assertThat(invalid).isInstanceOf(Outcome.Permanent.class);
      assertThat(((Outcome.Permanent) invalid).code()).isEqualTo("InvalidField");
      assertThat(((Outcome.Permanent) invalid).message()).contains("time");

      publisher.answer = () -> new BusPublisher.Result.Unavailable("the engine is down");
      Outcome unavailable = target.deliver(delivery(0));
      assertThat(unavailable).isInstanceOf(Outcome.Retry.class);
      assertThat(((Outcome.Retry) unavailable).code()).isEqualTo("EngineUnavailable");

      publisher.answer =
          () -> {
            throw new IllegalStateException("boom");
          };
      Outcome failed = target.deliver(delivery(0));
      assertThat(failed).isInstanceOf(Outcome.Retry.class);
      assertThat(((Outcome.Retry) failed).message()).contains("boom");
    }
  }

  @Test
  void aPublishStillUnderWayAtTheDeadlineIsATimeoutToRetry() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    publisher.answer =
        () -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return new BusPublisher.Result.Published("evt-new");
        };
    try (Target target = bus("{\"bus\": \"audit\"}")) {
      Outcome outcome = target.deliver(delivery(ENVELOPE, true, 0, Duration.ofMillis(100)));
      assertThat(outcome).isInstanceOf(Outcome.Retry.class);
      assertThat(((Outcome.Retry) outcome).code()).isEqualTo("Timeout");
    } finally {
      release.countDown();
    }
  }

  @Test
  void aHeraldWithoutABusPublisherRefusesBusTargets() throws Exception {
    var spec =
        TargetSpecs.parse(
            "to-audit", Json.MAPPER.readTree("{\"type\": \"bus\", \"bus\": {\"bus\": \"audit\"}}"));
    assertThatThrownBy(() -> Targets.create(spec, TargetsTest.CONTEXT))
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class,
            e -> {
              assertThat(e.code()).isEqualTo("UnsupportedTargetType");
              assertThat(e.getMessage()).contains("BusPublisher");
            });
  }

  @Test
  void theBusSettingMustNameABus() {
    assertThatThrownBy(() -> bus("{}"))
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class, e -> assertThat(e.field()).isEqualTo("bus.bus"));
    assertThatThrownBy(() -> bus("{\"bus\": \"no spaces allowed\"}"))
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class, e -> assertThat(e.field()).isEqualTo("bus.bus"));
  }
}
