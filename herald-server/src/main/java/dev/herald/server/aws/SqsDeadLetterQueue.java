package dev.herald.server.aws;

import dev.herald.core.config.Page;
import dev.herald.store.ConfigStore;
import dev.herald.store.DeadLetter;
import dev.herald.store.DeadLetterStore;
import dev.herald.store.QueueStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A target's dead letters seen as the SQS queue {@code <target>-dlq}: ReceiveMessage reads them
 * (oldest first) with the error as {@code herald.*} attributes, DeleteMessage purges one, and
 * StartMessageMoveTask redrives them to the target ({@link SqsMoveTasks}); the receipt handle is
 * the dead letter's id. A receive hides the letters it returns for its visibility timeout in the
 * store ({@link QueueStore#hideDeadLetters}), so that every instance and a restarted one agree;
 * PurgeQueue purges them all, as {@code DELETE /v1/targets/{target}/dlq?all=true} does.
 *
 * <p>Thread-safety: stateless; thread-safe.
 */
public final class SqsDeadLetterQueue {
  static final Duration DEFAULT_VISIBILITY = Duration.ofSeconds(30);
  private static final int PAGE = 100;

  private final DeadLetterStore store;
  private final QueueStore visibility;
  private final ConfigStore config;
  private final InstantSource clock;

  public SqsDeadLetterQueue(
      DeadLetterStore store, QueueStore visibility, ConfigStore config, InstantSource clock) {
    this.store = store;
    this.visibility = visibility;
    this.config = config;
    this.clock = clock;
  }

  /** The target whose dead letters the queue {@code name} is, if it is such a queue. */
  Optional<String> targetOf(String name) {
    if (!name.endsWith(SqsApi.DLQ_SUFFIX)) {
      return Optional.empty();
    }
    String target = name.substring(0, name.length() - SqsApi.DLQ_SUFFIX.length());
    return config.target(target).isPresent() ? Optional.of(target) : Optional.empty();
  }

  long count(String target) {
    return store.countDeadLetters(target);
  }

  List<SqsMessages.Rendered> receive(String target, int max, Optional<Duration> hidden) {
    Instant now = clock.instant();
    Instant until = now.plus(hidden.orElse(DEFAULT_VISIBILITY));
    List<SqsMessages.Rendered> out = new ArrayList<>();
    Optional<String> after = Optional.empty();
    do {
      Page<DeadLetter> page = store.deadLetters(target, PAGE, after);
      Map<String, DeadLetter> byId = new LinkedHashMap<>();
      page.items().forEach(l -> byId.put(l.id(), l));
      if (!byId.isEmpty()) {
        for (String id :
            visibility.hideDeadLetters(
                target, List.copyOf(byId.keySet()), max - out.size(), now, until)) {
          out.add(rendered(byId.get(id)));
        }
      }
      after = page.next().map(Page::nameAfter);
    } while (after.isPresent() && out.size() < max);
    return out;
  }

  private static SqsMessages.Rendered rendered(DeadLetter letter) {
    Map<String, String> attributes = new TreeMap<>();
    attributes.put("herald.eventId", letter.eventId());
    attributes.put("herald.deliveryKey", letter.deliveryKey());
    if (!letter.rule().isEmpty()) {
      attributes.put("herald.rule", letter.rule());
    }
    attributes.put("herald.errorCode", letter.errorCode());
    attributes.put("herald.errorMessage", letter.errorMessage());
    attributes.put("herald.attempts", Integer.toString(letter.attempts()));
    Map<String, String> system = new TreeMap<>();
    system.put("ApproximateReceiveCount", Integer.toString(Math.max(1, letter.attempts())));
    system.put("SentTimestamp", Long.toString(letter.lastAttemptAt().toEpochMilli()));
    return new SqsMessages.Rendered(
        letter.id(), letter.id(), letter.envelopeJson(), attributes, system);
  }

  /** Purges the dead letter of a handle; one already gone counts as done. */
  Optional<AwsError> delete(String target, String handle) {
    if (handle.isEmpty() || handle.length() > 64) {
      return Optional.of(SqsApi.invalidHandle(handle));
    }
    store.purgeDeadLetters(target, List.of(handle)); // its visibility goes with it
    return Optional.empty();
  }

  /** Hides the dead letter of a handle for {@code hidden} from now; empty when done. */
  Optional<AwsError> changeVisibility(String target, String handle, Duration hidden) {
    if (handle.isEmpty()
        || handle.length() > 64
        || !visibility.setDeadLetterVisibility(target, handle, clock.instant().plus(hidden))) {
      return Optional.of(SqsApi.invalidHandle(handle));
    }
    return Optional.empty();
  }

  /** PurgeQueue: purges every dead letter of the target, as the native purge of all does. */
  int purge(String target) {
    return store.purgeAllDeadLetters(target);
  }
}
