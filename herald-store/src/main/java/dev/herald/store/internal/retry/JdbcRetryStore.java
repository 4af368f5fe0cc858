package dev.herald.store.internal.retry;

import dev.herald.store.RetryStore;
import dev.herald.store.ScheduledRetry;
import dev.herald.store.internal.db.Database;
import dev.herald.store.internal.db.StoreCalls;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The {@link RetryStore} over either database: checks arguments, then {@link RetryRepository}.
 *
 * <p><b>Thread safety.</b> Stateless apart from the repository, thread-safe as the {@link Database}
 * underneath is.
 */
public final class JdbcRetryStore implements RetryStore {
  private final StoreCalls calls;
  private final RetryRepository retries;

  public JdbcRetryStore(Database db, StoreCalls calls) {
    this.calls = calls;
    this.retries = new RetryRepository(db);
  }

  @Override
  public void scheduleRetries(List<ScheduledRetry> list) {
    List<ScheduledRetry> copy = List.copyOf(Objects.requireNonNull(list, "retries"));
    if (copy.isEmpty()) {
      calls.ensureOpen();
      return;
    }
    calls.run(() -> retries.schedule(copy), "schedule " + copy.size() + " retries");
  }

  @Override
  public List<ScheduledRetry> claimDueRetries(
      String owner, Instant now, Duration lease, int limit, Set<String> pausedTargets) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(now, "now");
    StoreCalls.requirePositive("lease", lease);
    StoreCalls.requireAtLeastOne("limit", limit);
    Set<String> paused = Set.copyOf(pausedTargets);
    return calls.call(() -> retries.claim(owner, now, lease, limit, paused), "claim due retries");
  }

  @Override
  public int renewRetryClaims(String owner, Collection<String> deliveryKeys, Instant until) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(until, "until");
    List<String> keys = List.copyOf(Objects.requireNonNull(deliveryKeys, "deliveryKeys"));
    if (keys.isEmpty()) {
      calls.ensureOpen();
      return 0;
    }
    return calls.call(
        () -> retries.renew(owner, keys, until), "renew " + keys.size() + " retry claims");
  }

  @Override
  public void completeRetries(Collection<String> deliveryKeys) {
    List<String> keys = List.copyOf(Objects.requireNonNull(deliveryKeys, "deliveryKeys"));
    if (keys.isEmpty()) {
      calls.ensureOpen();
      return;
    }
    calls.run(() -> retries.complete(keys), "complete " + keys.size() + " retries");
  }

  @Override
  public int countRetries(String target) {
    Objects.requireNonNull(target, "target");
    return calls.call(() -> retries.count(target), "count the retries of target '" + target + "'");
  }
}
