package dev.herald.server.delivery;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.config.RuleSpecs;
import dev.herald.core.config.TargetSpecs;
import dev.herald.core.event.EventId;
import dev.herald.core.json.Json;
import dev.herald.server.config.RoutingTables;
import dev.herald.server.ingest.BusDirectory;
import dev.herald.store.Bus;
import dev.herald.store.DeadLetter;
import dev.herald.store.ScheduledRetry;
import dev.herald.store.StateStore;
import dev.herald.store.StoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redrive on a real SQLite store, a fixed clock: letters whose input shapes become retries due now,
 * the others stay dead letters with the shaping error, and redriving all of them ends.
 */
class DeadLettersTest {
  private static final Instant INGESTED = Instant.parse("2026-11-26T09:00:00Z");
  private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

  @TempDir Path dir;
  StateStore store;
  DeadLetters deadLetters;
  Bus orders;

  @BeforeEach
  void open() throws Exception {
    store = StateStore.open(StoreConfig.sqlite(dir));
    orders = store.ensureBus("orders", "");
    store.putTarget(
        TargetSpecs.parse("hook", Json.MAPPER.readTree("{\"type\":\"log\",\"enabled\":false}")),
        OptionalLong.empty());
    store.putRule(
        RuleSpecs.parse(
            "orders",
            "needs-coupon",
            Json.MAPPER.readTree(
                "{\"pattern\":{\"source\":[\"s\"]},\"targets\":[{\"target\":\"hook\","
                    + "\"inputPath\":\"$.detail.coupon\"}]}")),
        OptionalLong.empty());
    InstantSource clock = InstantSource.fixed(NOW);
    deadLetters =
        new DeadLetters(
            store, store, new BusDirectory(store, clock), new RoutingTables(store), clock);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private DeadLetter letter(long offset, String detail) {
    String eventId = new EventId(INGESTED.toEpochMilli(), orders.ordinal(), 0, offset).toString();
    return new DeadLetter(
        null,
        "hook",
        "dk-" + offset,
        eventId,
        "needs-coupon",
        "{\"version\":\"0\",\"id\":\""
            + eventId
            + "\",\"detail-type\":\"T\",\"source\":\"s\",\"account\":\"000000000000\","
            + "\"time\":\"2026-11-26T09:00:00Z\",\"region\":\"local\",\"resources\":[],"
            + "\"detail\":"
            + detail
            + "}",
        5,
        "HttpStatus503",
        "unavailable",
        INGESTED,
        INGESTED.plusSeconds(60));
  }

  private List<DeadLetter> stored() {
    return store.deadLetters("hook", 100, Optional.empty()).items();
  }

  @Test
  void redrivingAllTurnsShapeableLettersIntoRetriesAndKeepsTheOthersWithTheirError() {
    store.addDeadLetters(
        List.of(
            letter(1, "{\"coupon\":{\"code\":\"X\"}}"),
            letter(2, "{}"),
            letter(3, "{\"coupon\":{\"code\":\"Y\"}}")));
    DeadLetter stuck = stored().get(1);

    assertThat(deadLetters.redriveAll("hook")).isEqualTo(2);

    assertThat(stored())
        .singleElement()
        .satisfies(
            kept -> {
              assertThat(kept.id()).isEqualTo(stuck.id());
              assertThat(kept.deliveryKey()).isEqualTo("dk-2");
              assertThat(kept.errorCode()).isEqualTo("TransformError");
              assertThat(kept.lastAttemptAt()).isEqualTo(NOW);
            });
    List<ScheduledRetry> due =
        store.claimDueRetries("test", NOW, Duration.ofMinutes(1), 10, Set.of());
    assertThat(due).extracting(ScheduledRetry::deliveryKey).containsExactly("dk-1", "dk-3");
    ScheduledRetry first = due.getFirst();
    assertThat(first.attempt()).isEqualTo(1);
    assertThat(first.dueAt()).isEqualTo(NOW);
    assertThat(new String(first.payload(), UTF_8)).isEqualTo("{\"code\":\"X\"}");
    assertThat(first.metadata().bus()).isEqualTo("orders");
    assertThat(first.metadata().ingestedAt()).isEqualTo(INGESTED);
    assertThat(first.metadata().hops()).isZero();
  }

  @Test
  void redrivingALetterThatStillCannotBeShapedAgainEndsAndKeepsIt() {
    store.addDeadLetters(List.of(letter(2, "{}")));
    DeadLetter stuck = stored().getFirst();

    DeadLetters.Outcome outcome = deadLetters.redrive("hook", List.of(stuck.id(), "UNKNOWN"));
    assertThat(outcome.redriven()).isZero();
    assertThat(outcome.failed())
        .extracting(DeadLetters.Failure::id, DeadLetters.Failure::code)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("UNKNOWN", "DeadLetterNotFound"),
            org.assertj.core.groups.Tuple.tuple(stuck.id(), "TransformError"));
    assertThat(deadLetters.redriveAll("hook")).isZero();

    assertThat(stored()).extracting(DeadLetter::id).containsExactly(stuck.id());
    assertThat(store.countRetries("hook")).isZero();
  }
}
