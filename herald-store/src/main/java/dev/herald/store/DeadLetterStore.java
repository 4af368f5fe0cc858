package dev.herald.store;

import dev.herald.core.config.Page;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The dead letters role of the state store: per target, the deliveries that will not be attempted
 * again on their own, listed, inspected, redriven or purged. Delivery and routing add theirs
 * through {@link JournalStore#recordResults} and {@link JournalStore#recordRoutings(List, List)}
 * (one transaction with what they record); a redrive turns letters into retries in one transaction
 * ({@link #redrive}).
 *
 * <p>Every method is blocking, thread-safe and fails as the {@link StateStore} class comment says
 * ({@link StoreUnavailableException}, {@link StoreClosedException}).
 */
public interface DeadLetterStore {

  /**
   * Adds dead letters in one write. A letter whose {@code id} is {@code null} or empty gets an id
   * from the store, sortable by when it was added; a given id is kept. A target holds one dead
   * letter per delivery key: adding a letter whose (target, delivery key) is already stored keeps
   * the stored row, id and event, and takes the attempts and error of the new letter only when its
   * last attempt is later. An empty list does nothing.
   */
  void addDeadLetters(List<DeadLetter> letters);

  /** A page of the dead letters of {@code target}, by id (see {@link StateStore} for paging). */
  Page<DeadLetter> deadLetters(String target, int limit, Optional<String> after);

  /** How many dead letters {@code target} holds now (its dead-letter queue's depth). */
  int countDeadLetters(String target);

  /** The dead letter {@code id} of {@code target}. */
  Optional<DeadLetter> deadLetter(String target, String id);

  /** The dead letters of {@code target} with these ids, by id; unknown ids are absent. */
  List<DeadLetter> deadLettersById(String target, Collection<String> ids);

  /**
   * Redrives dead letters of {@code target} in one transaction, as the caller decided from the
   * letters it read: a {@link Redrive.Retry} deletes its letter and schedules its retry (as {@link
   * RetryStore#scheduleRetries}) together, so a letter is never lost between the two; a {@link
   * Redrive.StillDead} keeps its letter (same id) with the new error and last attempt time. A
   * letter that is gone (unknown, purged, or redriven by another call first, also on another Herald
   * instance) is skipped: each letter is redriven once. Returns how many retries were scheduled. An
   * empty list does nothing.
   *
   * @throws IllegalArgumentException when a retry is not of {@code target}
   */
  int redrive(String target, List<Redrive> redrives);

  /** Deletes the dead letters of {@code target} with these ids; returns how many existed. */
  int purgeDeadLetters(String target, List<String> ids);

  /**
   * Deletes every dead letter of {@code target}, a few thousand per transaction; returns how many.
   */
  int purgeAllDeadLetters(String target);
}
