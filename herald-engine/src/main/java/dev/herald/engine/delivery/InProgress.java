package dev.herald.engine.delivery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deliveries this instance is attempting now, by delivery key, so that a second record of a
 * delivery already in progress is not invoked a second time. After a crash both happen: the router
 * writes again the target records of the batch it had not committed (same delivery keys), and a
 * rebalance hands a partition to the other consumer while its records are in flight. The journal
 * catches a copy read after the first was recorded; this catches one read before.
 *
 * <p>A copy joins the delivery in progress: it finishes when that one's result is recorded (the
 * delivery is the same: delivered, retried or dead-lettered once). If the first cannot be recorded,
 * the copies are handed back to be attempted themselves.
 *
 * <p>Thread-safety: guarded by this object's monitor; {@link #begin} runs on consumer threads,
 * {@link #end} on attempt threads.
 */
final class InProgress {
  /** A record of a delivery in progress, waiting for it. */
  record Copy(Work work, TargetRuntime target, Runnable done) {}

  /** How many recorded deliveries are remembered (see {@link #begin}). */
  static final int RECENT = 4_096;

  private final Map<String, List<Copy>> joined = new HashMap<>();
  private final Map<String, Boolean> recent =
      new LinkedHashMap<>(RECENT, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > RECENT;
        }
      };

  /**
   * Starts the delivery of {@code key}, or joins the one in progress.
   *
   * <p>A delivery recorded moments ago (the last {@link #RECENT}) is answered {@link
   * Start#RECORDED}: the consumer may have looked its batch up in the journal before that record,
   * so the lookup may have missed it.
   *
   * @return what the caller does with the record
   */
  synchronized Start begin(Copy record) {
    String key = record.work().deliveryKey();
    if (recent.containsKey(key)) {
      return Start.RECORDED;
    }
    List<Copy> copies = joined.get(key);
    if (copies != null) {
      copies.add(record);
      return Start.JOINED;
    }
    joined.put(key, new ArrayList<>(0));
    return Start.ATTEMPT;
  }

  /** What comes of a record handed to {@link #begin}. */
  enum Start {
    /** The first record of its delivery in progress: the caller attempts it. */
    ATTEMPT,
    /** It joined the delivery in progress and is done when that one is recorded. */
    JOINED,
    /**
     * Its delivery was recorded moments ago, perhaps after the consumer looked its batch up in the
     * journal: the caller asks the journal again.
     */
    RECORDED
  }

  /**
   * Ends the delivery of {@code key} and returns the copies that joined it, in the order they
   * arrived. When it was recorded each copy is done (its {@code done} is to be run); when not, the
   * copies are to be attempted.
   */
  synchronized List<Copy> end(String key, boolean recorded) {
    if (recorded) {
      recent.put(key, Boolean.TRUE);
    }
    List<Copy> copies = joined.remove(key);
    return copies == null ? List.of() : copies;
  }

  /** Forgets that the delivery of {@code key} was recorded moments ago. */
  synchronized void forget(String key) {
    recent.remove(key);
  }

  /** Deliveries in progress. */
  synchronized int size() {
    return joined.size();
  }
}
