package dev.herald.engine.delivery;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Where the delivery engine keeps its state (the journal, scheduled retries, dead letters); the
 * server implements it on the state store. Every method may block; {@link #record} returns only
 * once what it was given is durable, because offsets are committed after it.
 */
public interface DeliveryLedger {

  /** The keys among {@code deliveryKeys} that the journal records as delivered. */
  Set<String> delivered(Collection<String> deliveryKeys);

  /** Records attempt results: journal entries, retries to schedule or complete, dead letters. */
  void record(List<AttemptResult> results);

  /** Claims retries that are due, skipping the given targets; each is leased to this instance. */
  List<Work> claimDue(Instant now, int limit, Set<String> skipTargets);

  /**
   * Keeps the leases of the claimed retries this instance is still working on; the retry scheduler
   * calls it on each of its steps. Nothing to do for a ledger without leases.
   */
  default void renewClaims(Instant now) {}
}
