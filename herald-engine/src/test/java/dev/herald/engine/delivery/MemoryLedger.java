package dev.herald.engine.delivery;

import dev.herald.api.UnstorableException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The ledger of the engine's own tests, in memory: the journal status of each delivery key, each
 * {@link #record} call as it came, and retries due at a time. The state store's ledger
 * (herald-server {@code StoreLedger}) has its own tests; this one lets a stage be stepped without a
 * database. A failure can be injected for the next write, and results can be refused. Thread-safe:
 * concurrent collections, synchronized claims.
 */
final class MemoryLedger implements DeliveryLedger {
  record Due(Work work, Instant at) {}

  final List<List<AttemptResult>> writes = new CopyOnWriteArrayList<>();
  final Map<String, String> journal = new ConcurrentHashMap<>();
  final List<Due> due = new ArrayList<>(); // guarded by this
  volatile RuntimeException failNextWrite;

  /** Results the ledger refuses as a store refuses what it cannot keep: their writes fail. */
  volatile Predicate<AttemptResult> refuses = r -> false;

  @Override
  public Set<String> delivered(Collection<String> deliveryKeys) {
    return deliveryKeys.stream()
        .filter(k -> "delivered".equals(journal.get(k)))
        .collect(Collectors.toSet());
  }

  @Override
  public void record(List<AttemptResult> results) {
    RuntimeException failure = failNextWrite;
    if (failure != null) {
      failNextWrite = null;
      throw failure;
    }
    if (results.stream().anyMatch(refuses)) {
      throw new UnstorableException("refused: a value the store cannot keep", null);
    }
    writes.add(List.copyOf(results));
    for (AttemptResult result : results) {
      String key = result.work().deliveryKey();
      switch (result) {
        case AttemptResult.Delivered d -> journal.put(key, "delivered");
        case AttemptResult.SkippedDuplicate s -> journal.putIfAbsent(key, "skipped-duplicate");
        case AttemptResult.Retrying r -> journal.put(key, "retrying");
        case AttemptResult.DeadLettered d -> journal.put(key, "dead-lettered");
      }
    }
  }

  synchronized void schedule(Work work, Instant at) {
    due.add(new Due(work, at));
  }

  @Override
  public synchronized List<Work> claimDue(Instant now, int limit, Set<String> skipTargets) {
    List<Work> claimed = new ArrayList<>();
    for (Iterator<Due> it = due.iterator(); it.hasNext() && claimed.size() < limit; ) {
      Due next = it.next();
      if (!next.at().isAfter(now) && !skipTargets.contains(next.work().target())) {
        claimed.add(next.work());
        it.remove();
      }
    }
    return claimed;
  }

  List<AttemptResult> allRecorded() {
    return writes.stream().flatMap(List::stream).toList();
  }
}
