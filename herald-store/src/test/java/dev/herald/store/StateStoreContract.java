package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StateStore} does, whatever the database. Each implementation runs it through a
 * subclass that provides a fresh, empty store configuration per test.
 *
 * <p>The parts of the store beyond buses and client ids have their contracts in classes of their
 * own ({@link ContractPart}), run here as nested classes against the store opened for each test.
 */
abstract class StateStoreContract {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration WINDOW = Duration.ofMinutes(5);

  StoreConfig config;
  StateStore store;

  /** A configuration naming a new, empty store. Called once before each test. */
  abstract StoreConfig newConfig() throws Exception;

  /** What {@link StateStore#kind()} answers. */
  abstract String expectedKind();

  /** Called after each test, once the store is closed. */
  void cleanUp() throws Exception {}

  @BeforeEach
  final void openStore() throws Exception {
    config = newConfig();
    store = StateStore.open(config);
  }

  @AfterEach
  final void closeStore() throws Exception {
    store.close();
    cleanUp();
  }

  /** Closes the store and opens it again on the same data. */
  final StateStore reopen() {
    return reopenWith(config);
  }

  /** Closes the store and opens {@code other} (the same data, perhaps another key) instead. */
  final StateStore reopenWith(StoreConfig other) {
    store.close();
    store = StateStore.open(other);
    return store;
  }

  // --- the other parts of the store, each against this contract's store ---

  @Nested
  class BusConfiguration extends BusConfigContract {
    @Override
    StateStoreContract contract() {
      return StateStoreContract.this;
    }
  }

  @Nested
  class ChangedBy extends ChangedByContract {
    @Override
    StateStoreContract contract() {
      return StateStoreContract.this;
    }
  }

  @Nested
  class Targets extends TargetContract {
    @Override
    StateStoreContract contract() {
      return StateStoreContract.this;
    }
  }

  @Nested
  class Keys extends KeyContract {
    @Override
    StateStoreContract contract() {
      return StateStoreContract.this;
    }
  }

  @Nested
  class TargetSecrets extends TargetSecretsContract {
    @Override
    StateStoreContract contract() {
      return StateStoreContract.this;
    }
  }

  @Nested
  class Rules extends RuleContract {
    @Override
    StateStoreContract contract() {
      return StateStoreContract.this;
    }
  }

  @Nested
  class Routings extends RoutingContract {
    @Override
    StateStoreContract contract() {
      return StateStoreContract.this;
    }
  }

  @Nested
  class DeadLetters extends DeadLetterContract {
    @Override
    StateStoreContract contract() {
      return StateStoreContract.this;
    }
  }

  @Nested
  class Journal extends JournalContract {
    @Override
    StateStoreContract contract() {
      return StateStoreContract.this;
    }
  }

  @Nested
  class Retries extends RetryContract {
    @Override
    StateStoreContract contract() {
      return StateStoreContract.this;
    }
  }

  @Nested
  class Audit extends AuditContract {
    @Override
    StateStoreContract contract() {
      return StateStoreContract.this;
    }
  }

  @Nested
  class Queues extends QueueContract {
    @Override
    StateStoreContract contract() {
      return StateStoreContract.this;
    }
  }

  @Nested
  class Replays extends ReplayContract {
    @Override
    StateStoreContract contract() {
      return StateStoreContract.this;
    }
  }

  @Nested
  class OneTransaction extends OneTransactionContract {
    @Override
    StateStoreContract contract() {
      return StateStoreContract.this;
    }
  }

  static ClientIdRecord record(String bus, String clientId, String eventId, Instant at) {
    return new ClientIdRecord(bus, clientId, eventId, at);
  }

  /** Runs the tasks on virtual threads, all at once, and returns their results in order. */
  static <T> List<T> concurrently(List<Callable<T>> tasks) throws Exception {
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<T>> futures = threads.invokeAll(tasks);
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get());
      }
      return results;
    }
  }

  // --- the store ---

  @Test
  void kindNamesTheDatabase() {
    assertThat(store.kind()).isEqualTo(expectedKind());
  }

  @Test
  void checkWritableSucceedsOnAnOpenStore() {
    store.checkWritable();
    store.checkWritable();
  }

  @Test
  void callsAfterCloseFailWithStoreClosed() {
    store.close();
    store.close(); // idempotent

    assertThatThrownBy(store::checkWritable).isInstanceOf(StoreClosedException.class);
    assertThatThrownBy(() -> store.bus("orders"))
        .isInstanceOf(StoreClosedException.class)
        .isInstanceOf(dev.herald.api.PermanentException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> store.rememberClientIds(List.of(record("b", "c", "e", T0))))
        .isInstanceOf(StoreClosedException.class);
  }

  @Test
  void dataSurvivesCloseAndReopen() {
    Bus orders = store.ensureBus("orders", "order events");
    store.rememberClientIds(List.of(record("orders", "client-1", "EVENT-1", T0)));

    reopen();

    assertThat(store.bus("orders")).contains(orders);
    assertThat(store.findEventIdForClientId("orders", "client-1", T0)).contains("EVENT-1");
  }

  // --- buses ---

  @Test
  void ensureBusCreatesABusWithDefaults() {
    Bus bus = store.ensureBus("orders", "order events");

    assertThat(bus.name()).isEqualTo("orders");
    assertThat(bus.description()).isEqualTo("order events");
    assertThat(bus.archiveRetentionDays()).isEqualTo(7);
    assertThat(bus.version()).isEqualTo(1);
    assertThat(bus.updatedAt()).isEqualTo(bus.createdAt());
    assertThat(store.bus("orders")).contains(bus);
  }

  @Test
  void ensureBusAssignsTheNextFreeOrdinal() {
    List<Integer> ordinals =
        List.of("a", "b", "c").stream().map(n -> store.ensureBus(n, "").ordinal()).toList();

    assertThat(ordinals).containsExactly(0, 1, 2);
  }

  @Test
  void ensureBusReturnsAnExistingBusUnchanged() {
    Bus first = store.ensureBus("orders", "first description");

    Bus again = store.ensureBus("orders", "another description");

    assertThat(again).isEqualTo(first);
    assertThat(store.buses()).containsExactly(first);
  }

  @Test
  void ensureBusAssignsStableOrdinals() {
    Bus a = store.ensureBus("a", "");
    Bus b = store.ensureBus("b", "");

    reopen();

    assertThat(store.ensureBus("b", "")).isEqualTo(b);
    assertThat(store.ensureBus("a", "")).isEqualTo(a);
    assertThat(store.busByOrdinal(b.ordinal())).contains(b);
    assertThat(store.ensureBus("c", "").ordinal()).isNotIn(a.ordinal(), b.ordinal());
  }

  @Test
  void ensureBusRejectsInvalidNames() {
    for (String name : new String[] {"", "has space", "x".repeat(65), "slash/y", null}) {
      assertThatThrownBy(() -> store.ensureBus(name, ""))
          .as("name %s", name)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("bus name");
    }
    assertThat(store.buses()).isEmpty();
  }

  @Test
  void busLookupsFindByNameAndByOrdinalAndMissUnknownOnes() {
    Bus orders = store.ensureBus("orders", "");

    assertThat(store.bus("orders")).contains(orders);
    assertThat(store.busByOrdinal(orders.ordinal())).contains(orders);
    assertThat(store.bus("unknown")).isEmpty();
    assertThat(store.busByOrdinal(orders.ordinal() + 1)).isEmpty();
  }

  @Test
  void busesListsEveryBusByName() {
    store.ensureBus("payments", "");
    store.ensureBus("audit", "");
    store.ensureBus("orders", "");

    assertThat(store.buses()).extracting(Bus::name).containsExactly("audit", "orders", "payments");
  }

  @Test
  void concurrentEnsureBusOfOneNameCreatesOneBus() throws Exception {
    List<Callable<Bus>> tasks = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      tasks.add(() -> store.ensureBus("orders", "from many threads"));
    }

    List<Bus> results = concurrently(tasks);

    assertThat(results).hasSize(50).allSatisfy(bus -> assertThat(bus).isEqualTo(results.get(0)));
    assertThat(store.buses()).containsExactly(results.get(0));
  }

  @Test
  void concurrentEnsureBusOfManyNamesGivesUniqueOrdinals() throws Exception {
    List<Callable<Bus>> tasks = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String name = "bus-" + i;
      tasks.add(() -> store.ensureBus(name, ""));
    }

    List<Bus> results = concurrently(tasks);

    assertThat(results).extracting(Bus::ordinal).doesNotHaveDuplicates();
    assertThat(store.buses()).hasSize(50).containsExactlyInAnyOrderElementsOf(results);
  }

  @Test
  void twoStoresOnOneDatabaseCreateEachBusOnce() throws Exception {
    try (StateStore other = StateStore.open(config)) {
      List<StateStore> stores = List.of(store, other);
      List<Callable<Bus>> tasks = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        StateStore target = stores.get(i % 2);
        String name = "bus-" + (i % 10);
        tasks.add(() -> target.ensureBus(name, ""));
      }

      List<Bus> results = concurrently(tasks);

      assertThat(results).extracting(Bus::name).containsOnly(names(10));
      assertThat(results.stream().distinct()).hasSize(10);
      assertThat(other.buses()).hasSize(10).extracting(Bus::ordinal).doesNotHaveDuplicates();
    }
  }

  private static String[] names(int count) {
    return IntStream.range(0, count).mapToObj(i -> "bus-" + i).toArray(String[]::new);
  }

  // --- client ids ---

  @Test
  void clientIdIsFoundWithinTheWindow() {
    store.rememberClientIds(List.of(record("orders", "client-1", "EVENT-1", T0)));

    Instant now = T0.plus(WINDOW).minusMillis(1);
    assertThat(store.findEventIdForClientId("orders", "client-1", now.minus(WINDOW)))
        .contains("EVENT-1");
    assertThat(store.findEventIdForClientId("orders", "client-1", T0)).contains("EVENT-1");
  }

  @Test
  void clientIdRecordedBeforeTheWindowIsNotFound() {
    store.rememberClientIds(List.of(record("orders", "client-1", "EVENT-1", T0)));

    assertThat(store.findEventIdForClientId("orders", "client-1", T0.plusMillis(1))).isEmpty();
    assertThat(store.findEventIdForClientId("orders", "unknown", T0)).isEmpty();
  }

  @Test
  void clientIdBelongsToItsBus() {
    store.rememberClientIds(List.of(record("orders", "client-1", "EVENT-1", T0)));

    assertThat(store.findEventIdForClientId("payments", "client-1", T0)).isEmpty();
  }

  @Test
  void newerRecordReplacesAnExpiredOne() {
    store.rememberClientIds(List.of(record("orders", "client-1", "EVENT-OLD", T0)));
    Instant later = T0.plus(WINDOW).plusSeconds(1);

    store.rememberClientIds(List.of(record("orders", "client-1", "EVENT-NEW", later)));

    assertThat(store.findEventIdForClientId("orders", "client-1", later.minus(WINDOW)))
        .contains("EVENT-NEW");
  }

  @Test
  void olderRecordDoesNotReplaceANewerOne() {
    store.rememberClientIds(List.of(record("orders", "client-1", "EVENT-NEW", T0)));

    store.rememberClientIds(List.of(record("orders", "client-1", "EVENT-OLD", T0.minusSeconds(1))));

    assertThat(store.findEventIdForClientId("orders", "client-1", T0)).contains("EVENT-NEW");
  }

  @Test
  void rememberingNoRecordsDoesNothing() {
    store.rememberClientIds(List.of());

    assertThat(store.purgeClientIdsBefore(T0.plus(Duration.ofDays(365)))).isZero();
  }

  @Test
  void purgeDeletesOnlyRecordsBeforeTheCutoff() {
    store.rememberClientIds(
        List.of(
            record("orders", "old-1", "E1", T0),
            record("orders", "old-2", "E2", T0.plusSeconds(1)),
            record("orders", "kept", "E3", T0.plusSeconds(2))));

    int purged = store.purgeClientIdsBefore(T0.plusSeconds(2));

    assertThat(purged).isEqualTo(2);
    assertThat(store.findEventIdForClientId("orders", "old-1", T0)).isEmpty();
    assertThat(store.findEventIdForClientId("orders", "old-2", T0)).isEmpty();
    assertThat(store.findEventIdForClientId("orders", "kept", T0)).contains("E3");
    assertThat(store.purgeClientIdsBefore(T0.plusSeconds(2))).isZero();
  }

  @Test
  void concurrentWritersFromFiftyVirtualThreadsAllLand() throws Exception {
    List<Callable<Integer>> tasks = new ArrayList<>();
    for (int t = 0; t < 50; t++) {
      int thread = t;
      tasks.add(
          () -> {
            for (int i = 0; i < 10; i++) {
              String id = thread + "-" + i;
              store.rememberClientIds(List.of(record("orders", "client-" + id, "EVENT-" + id, T0)));
            }
            store.checkWritable();
            return thread;
          });
    }

    concurrently(tasks);

    for (int t = 0; t < 50; t++) {
      for (int i = 0; i < 10; i++) {
        String id = t + "-" + i;
        assertThat(store.findEventIdForClientId("orders", "client-" + id, T0))
            .contains("EVENT-" + id);
      }
    }
  }
}
