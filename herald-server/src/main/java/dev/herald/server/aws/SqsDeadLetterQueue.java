package dev.herald.server.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.auth.Scope;
import dev.herald.core.config.Page;
import dev.herald.core.json.Json;
import dev.herald.server.delivery.DeadLetters;
import dev.herald.store.ConfigStore;
import dev.herald.store.DeadLetter;
import dev.herald.store.DeadLetterStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A target's dead letters seen as the SQS queue {@code <target>-dlq}: ReceiveMessage reads them
 * (oldest first) with the error as {@code herald.*} attributes, DeleteMessage purges one, and
 * StartMessageMoveTask redrives them all to the target ({@link DeadLetters#redriveAll}); the
 * receipt handle is the dead letter's id. Dead letters have no lease in the store, so a receive
 * hides them for its visibility timeout on this instance only.
 *
 * <p>Thread-safety: the hidden-until map is concurrent; everything else is immutable.
 */
public final class SqsDeadLetterQueue {
  private static final Logger LOG = LoggerFactory.getLogger(SqsDeadLetterQueue.class);
  static final Duration DEFAULT_VISIBILITY = Duration.ofSeconds(30);
  private static final int PAGE = 100;

  private final DeadLetterStore store;
  private final ConfigStore config;
  private final DeadLetters deadLetters;
  private final InstantSource clock;
  private final Arns arns;
  private final Map<String, Instant> hiddenUntil = new ConcurrentHashMap<>();

  public SqsDeadLetterQueue(
      DeadLetterStore store,
      ConfigStore config,
      DeadLetters deadLetters,
      InstantSource clock,
      Arns arns) {
    this.store = store;
    this.config = config;
    this.deadLetters = deadLetters;
    this.clock = clock;
    this.arns = arns;
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

  List<SqsMessages.Rendered> receive(String target, int max, Optional<Duration> visibility) {
    Instant now = clock.instant();
    hiddenUntil.values().removeIf(until -> !until.isAfter(now));
    Instant until = now.plus(visibility.orElse(DEFAULT_VISIBILITY));
    List<SqsMessages.Rendered> out = new ArrayList<>();
    Optional<String> after = Optional.empty();
    do {
      Page<DeadLetter> page = store.deadLetters(target, PAGE, after);
      for (DeadLetter letter : page.items()) {
        if (out.size() == max) {
          return out;
        }
        String key = target + "/" + letter.id();
        if (hiddenUntil.putIfAbsent(key, until) == null) {
          out.add(rendered(letter));
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
    store.purgeDeadLetters(target, List.of(handle));
    hiddenUntil.remove(target + "/" + handle);
    return Optional.empty();
  }

  void changeVisibility(String target, String handle, Duration visibility) {
    if (store.deadLetter(target, handle).isEmpty()) {
      throw SqsApi.invalidHandle(handle);
    }
    hiddenUntil.put(target + "/" + handle, clock.instant().plus(visibility));
  }

  /** StartMessageMoveTask: redrives a dead-letter queue to its target, all of it, now. */
  ObjectNode startMove(AwsCall call) {
    call.require(Scope.ADMIN);
    String source = call.required("SourceArn", m -> new AwsError(400, "MissingParameter", m));
    String queue =
        Arns.parse(source)
            .filter(n -> n instanceof Arns.Queue)
            .map(n -> ((Arns.Queue) n).name())
            .orElseThrow(() -> AwsError.sqsInvalid("SourceArn must be an SQS queue ARN"));
    String target =
        targetOf(queue)
            .orElseThrow(
                () ->
                    new AwsError(
                        400,
                        "ResourceNotFoundException",
                        "SourceArn must name a dead-letter queue <target>-dlq of an existing"
                            + " target, got '"
                            + queue
                            + "'"));
    Optional<String> destination = call.text("DestinationArn");
    if (destination.isPresent() && !destination.get().equals(arns.queue(target))) {
      throw new AwsError(
          400,
          "UnsupportedOperation",
          "Herald redrives dead letters to their own target only: DestinationArn must be "
              + arns.queue(target)
              + " or absent");
    }
    int moved = deadLetters.redriveAll(target);
    hiddenUntil.keySet().removeIf(k -> k.startsWith(target + "/"));
    LOG.info("StartMessageMoveTask redrove {} dead letters of target {}", moved, target);
    String handle =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                (target + ":" + clock.millis() + ":" + moved).getBytes(StandardCharsets.UTF_8));
    return Json.object().put("TaskHandle", handle);
  }
}
