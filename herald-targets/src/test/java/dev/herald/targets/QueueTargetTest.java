package dev.herald.targets;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.api.delivery.Delivery;
import dev.herald.api.delivery.Outcome;
import dev.herald.api.delivery.Target;
import dev.herald.core.config.ConfigException;
import dev.herald.core.config.TargetSpecs;
import dev.herald.core.json.Json;
import dev.herald.targets.queue.QueueSettings;
import dev.herald.targets.queue.QueueSink;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The {@code queue} target: settings checked when built, deliveries handed to the queue sink. The
 * sink here records what it is given (and fails on demand): the real one, over the store, is tested
 * through HTTP in herald-server.
 */
class QueueTargetTest {
  private final List<String> enqueued = new CopyOnWriteArrayList<>();
  private final AtomicBoolean storeDown = new AtomicBoolean();
  private final QueueSink sink =
      (queue, delivery) -> {
        if (storeDown.get()) {
          throw new IllegalStateException("store down");
        }
        enqueued.add(queue + ":" + delivery.deliveryKey());
      };
  private final TargetContext context =
      new TargetContext(
          InstantSource.system(),
          false,
          Set.of(),
          Path.of("plugins"),
          TargetServices.none().with(QueueSink.class, sink));

  private static dev.herald.core.config.TargetSpec spec(String json) throws Exception {
    return TargetSpecs.parse("jobs", Json.MAPPER.readTree(json));
  }

  private static Delivery delivery(String key) {
    return new Delivery(
        key, "E1", "r", 1, "{}".getBytes(UTF_8), true, Optional.empty(), Instant.now());
  }

  @Test
  void aDeliveryIsEnqueuedInTheTargetsQueueAndDelivered() throws Exception {
    try (Target target = Targets.create(spec("{\"type\": \"queue\"}"), context)) {
      assertThat(target.deliver(delivery("dk-1"))).isEqualTo(new Outcome.Delivered());
    }
    assertThat(enqueued).containsExactly("jobs:dk-1");
  }

  @Test
  void aStoreThatCannotTakeTheMessageMeansRetry() throws Exception {
    storeDown.set(true);
    try (Target target = Targets.create(spec("{\"type\": \"queue\"}"), context)) {
      assertThat(target.deliver(delivery("dk-1")))
          .isInstanceOfSatisfying(
              Outcome.Retry.class, r -> assertThat(r.code()).isEqualTo("StoreUnavailable"));
    }
  }

  @Test
  void visibilityDefaultsToThirtySeconds() throws Exception {
    assertThat(QueueSettings.parse(spec("{\"type\": \"queue\"}").settings()).visibility())
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(
            QueueSettings.parse(
                    spec("{\"type\": \"queue\", \"queue\": {\"visibilitySeconds\": 43200}}")
                        .settings())
                .visibility())
        .isEqualTo(Duration.ofHours(12));
  }

  @Test
  void visibilityOutOfRangeIsRefusedNamingTheField() {
    for (String value : new String[] {"0", "43201", "1.5", "\"30\""}) {
      assertThatThrownBy(
              () ->
                  Targets.create(
                      spec(
                          "{\"type\": \"queue\", \"queue\": {\"visibilitySeconds\": "
                              + value
                              + "}}"),
                      context))
          .as(value)
          .isInstanceOfSatisfying(
              ConfigException.Invalid.class,
              e -> {
                assertThat(e.field()).isEqualTo("queue.visibilitySeconds");
                assertThat(e.getMessage()).contains("1 to 43200");
              });
    }
  }

  @Test
  void aHeraldWithoutQueuesRefusesTheType() throws Exception {
    TargetContext without =
        new TargetContext(InstantSource.system(), false, Set.of(), Path.of("plugins"));
    var spec = spec("{\"type\": \"queue\"}");
    assertThatThrownBy(() -> Targets.create(spec, without))
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class,
            e -> assertThat(e.code()).isEqualTo("UnsupportedTargetType"));
  }
}
