package dev.herald.store.internal.deadletter;

import dev.herald.core.config.Page;
import dev.herald.store.DeadLetter;
import dev.herald.store.DeadLetterStore;
import dev.herald.store.Redrive;
import dev.herald.store.internal.db.Database;
import dev.herald.store.internal.db.Pages;
import dev.herald.store.internal.db.StoreCalls;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link DeadLetterStore} over either database: checks arguments, then {@link
 * DeadLetterRepository}; a redrive is one write transaction ({@link
 * DeadLetterRepository#redriveIn}).
 *
 * <p><b>Thread safety.</b> Stateless apart from the repository, thread-safe as the {@link Database}
 * underneath is.
 */
public final class JdbcDeadLetterStore implements DeadLetterStore {
  private final Database db;
  private final StoreCalls calls;
  private final DeadLetterRepository deadLetters;

  public JdbcDeadLetterStore(Database db, StoreCalls calls, DeadLetterRepository deadLetters) {
    this.db = db;
    this.calls = calls;
    this.deadLetters = deadLetters;
  }

  @Override
  public void addDeadLetters(List<DeadLetter> letters) {
    List<DeadLetter> copy = List.copyOf(Objects.requireNonNull(letters, "letters"));
    if (copy.isEmpty()) {
      calls.ensureOpen();
      return;
    }
    calls.run(() -> deadLetters.add(copy), "add " + copy.size() + " dead letters");
  }

  @Override
  public Page<DeadLetter> deadLetters(String target, int limit, Optional<String> after) {
    Objects.requireNonNull(target, "target");
    Pages.checkLimit(limit);
    Objects.requireNonNull(after, "after");
    return calls.call(
        () -> deadLetters.page(target, limit, after),
        "list the dead letters of target '" + target + "'");
  }

  @Override
  public Optional<DeadLetter> deadLetter(String target, String id) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(id, "id");
    return calls.call(
        () -> deadLetters.byId(target, id),
        "read dead letter " + id + " of target '" + target + "'");
  }

  @Override
  public int countDeadLetters(String target) {
    Objects.requireNonNull(target, "target");
    return calls.call(
        () -> deadLetters.count(target), "count the dead letters of target '" + target + "'");
  }

  @Override
  public List<DeadLetter> deadLettersById(String target, Collection<String> ids) {
    Objects.requireNonNull(target, "target");
    List<String> copy = List.copyOf(Objects.requireNonNull(ids, "ids"));
    return copy.isEmpty()
        ? calls.call(List::of, "read dead letters")
        : calls.call(
            () -> deadLetters.byIds(target, copy), "read dead letters of '" + target + "'");
  }

  @Override
  public int redrive(String target, List<Redrive> redrives) {
    Objects.requireNonNull(target, "target");
    List<Redrive> copy = List.copyOf(Objects.requireNonNull(redrives, "redrives"));
    for (Redrive redrive : copy) {
      if (redrive instanceof Redrive.Retry retry && !retry.retry().target().equals(target)) {
        throw new IllegalArgumentException(
            "the retry of dead letter "
                + retry.letterId()
                + " is for target '"
                + retry.retry().target()
                + "', not '"
                + target
                + "'");
      }
    }
    return copy.isEmpty()
        ? calls.call(() -> 0, "redrive dead letters")
        : calls.call(
            () -> db.write(c -> deadLetters.redriveIn(c, target, copy)),
            "redrive " + copy.size() + " dead letters of '" + target + "'");
  }

  @Override
  public int purgeDeadLetters(String target, List<String> ids) {
    Objects.requireNonNull(target, "target");
    List<String> copy = List.copyOf(Objects.requireNonNull(ids, "ids"));
    return copy.isEmpty()
        ? calls.call(() -> 0, "purge dead letters")
        : calls.call(
            () -> deadLetters.purge(target, copy), "purge dead letters of '" + target + "'");
  }

  @Override
  public int purgeAllDeadLetters(String target) {
    Objects.requireNonNull(target, "target");
    return calls.call(() -> deadLetters.purgeAll(target), "purge dead letters of '" + target + "'");
  }
}
