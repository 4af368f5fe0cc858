package dev.herald.server.aws;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.auth.Scope;
import dev.herald.core.config.Page;
import dev.herald.core.json.Json;
import dev.herald.server.delivery.DeadLetters;
import dev.herald.store.DeadLetter;
import dev.herald.store.DeadLetterStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQS message move tasks: StartMessageMoveTask answers a TaskHandle at once and redrives the
 * dead-letter queue {@code <target>-dlq} to its target in the background, a page at a time ({@link
 * DeadLetters#redrive}); ListMessageMoveTasks reports its progress and CancelMessageMoveTask stops
 * it between pages. One task runs per source queue at a time.
 *
 * <p>Tasks are kept in memory on the instance that runs them, as AWS keeps them for 14 days: a
 * restart forgets them (what they moved stays moved; a redrive is a store transaction per page).
 * ListMessageMoveTasks answers the tasks of this instance.
 *
 * <p>Thread-safety: the task map is concurrent; a task's progress is written by its own virtual
 * thread and read by any (volatile fields, atomic counter).
 */
public final class SqsMoveTasks implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SqsMoveTasks.class);
  static final int PAGE = 100;
  static final int MAX_LIST_RESULTS = 10;

  /** The finished tasks kept per source queue for ListMessageMoveTasks. */
  static final int KEPT_PER_SOURCE = 10;

  private final DeadLetterStore store;
  private final DeadLetters deadLetters;
  private final SqsDeadLetterQueue queues;
  private final InstantSource clock;
  private final Arns arns;
  private final Map<String, Task> tasks = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public SqsMoveTasks(
      DeadLetterStore store,
      DeadLetters deadLetters,
      SqsDeadLetterQueue queues,
      InstantSource clock,
      Arns arns) {
    this.store = store;
    this.deadLetters = deadLetters;
    this.queues = queues;
    this.clock = clock;
    this.arns = arns;
  }

  /** One move task; its status: RUNNING, CANCELLING, CANCELLED, COMPLETED or FAILED. */
  static final class Task {
    final String handle;
    final String target;
    final String sourceArn;
    final String destinationArn;
    final Instant started;
    final long toMove;
    final AtomicLong moved = new AtomicLong();
    volatile String status = "RUNNING";
    volatile String failure = "";
    volatile Thread thread;

    Task(
        String handle,
        String target,
        String sourceArn,
        String destinationArn,
        Instant started,
        long toMove) {
      this.handle = handle;
      this.target = target;
      this.sourceArn = sourceArn;
      this.destinationArn = destinationArn;
      this.started = started;
      this.toMove = toMove;
    }

    boolean running() {
      return status.equals("RUNNING") || status.equals("CANCELLING");
    }
  }

  /** StartMessageMoveTask: checks the queues, starts the task and answers its handle at once. */
  ObjectNode start(AwsCall call) {
    call.require(Scope.ADMIN);
    String source = call.required("SourceArn", m -> new AwsError(400, "MissingParameter", m));
    String target = sourceTarget(source);
    Optional<String> destination = call.text("DestinationArn");
    if (destination.isPresent() && !destination.get().equals(arns.queue(target))) {
      throw new AwsError(
          400,
          "UnsupportedOperation",
          "Herald redrives dead letters to their own target only: DestinationArn must be "
              + arns.queue(target)
              + " or absent");
    }
    Task task;
    synchronized (this) {
      if (closed) {
        throw new AwsError(503, "ServiceUnavailable", "Herald is stopping");
      }
      for (Task t : tasks.values()) {
        if (t.target.equals(target) && t.running()) {
          throw new AwsError(
              400,
              "UnsupportedOperation",
              "a message move task is already running for " + source + ": " + t.handle);
        }
      }
      String handle =
          Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(
                  (target + ":" + clock.millis() + ":" + UUID.randomUUID())
                      .getBytes(StandardCharsets.UTF_8));
      task =
          new Task(
              handle,
              target,
              source,
              arns.queue(target),
              clock.instant(),
              store.countDeadLetters(target));
      tasks.put(handle, task);
      forgetOldTasks(target);
    }
    task.thread = Thread.ofVirtual().name("herald-sqs-move-" + target).start(() -> run(task));
    return Json.object().put("TaskHandle", task.handle);
  }

  /** Runs one task: a page of dead letters per redrive, until none is left or it is cancelled. */
  void run(Task task) {
    try {
      Optional<String> after = Optional.empty();
      do {
        if (!task.status.equals("RUNNING") || closed) {
          break;
        }
        Page<DeadLetter> page = store.deadLetters(task.target, PAGE, after);
        List<String> ids = page.items().stream().map(DeadLetter::id).toList();
        if (!ids.isEmpty()) {
          task.moved.addAndGet(deadLetters.redrive(task.target, ids).redriven());
        }
        after = page.next().map(Page::nameAfter);
      } while (after.isPresent());
      task.status = task.status.equals("RUNNING") && !closed ? "COMPLETED" : "CANCELLED";
      LOG.info(
          "message move task of {} {}: {} dead letters redriven",
          task.sourceArn,
          task.status.toLowerCase(java.util.Locale.ROOT),
          task.moved.get());
    } catch (RuntimeException e) {
      task.failure = e.getMessage() == null ? e.toString() : e.getMessage();
      task.status = "FAILED";
      LOG.warn("message move task of {} failed: {}", task.sourceArn, e.toString());
    }
  }

  /** ListMessageMoveTasks: the tasks of a source queue, the latest first. */
  ObjectNode list(AwsCall call) {
    String source = call.required("SourceArn", m -> new AwsError(400, "MissingParameter", m));
    if (!call.principal().allows(Scope.READ)) {
      call.require(Scope.ADMIN);
    }
    String target = sourceTarget(source);
    int max = call.integer("MaxResults").orElse(1);
    if (max < 1 || max > MAX_LIST_RESULTS) {
      throw AwsError.sqsInvalid(
          "Value "
              + max
              + " for parameter MaxResults is invalid. Reason: must be between 1 and 10.");
    }
    ObjectNode answer = Json.object();
    ArrayNode results = answer.putArray("Results");
    tasks.values().stream()
        .filter(t -> t.target.equals(target))
        .sorted(Comparator.comparing((Task t) -> t.started).reversed())
        .limit(max)
        .forEach(t -> results.add(json(t)));
    return answer;
  }

  /** CancelMessageMoveTask: stops a running task after its current page. */
  ObjectNode cancel(AwsCall call) {
    call.require(Scope.ADMIN);
    String handle = call.required("TaskHandle", m -> new AwsError(400, "MissingParameter", m));
    Task task = tasks.get(handle);
    if (task == null || !task.status.equals("RUNNING")) {
      throw new AwsError(
          400,
          "ResourceNotFoundException",
          "there is no running message move task with handle '" + handle + "'");
    }
    task.status = "CANCELLING";
    return Json.object().put("ApproximateNumberOfMessagesMoved", task.moved.get());
  }

  private static ObjectNode json(Task t) {
    ObjectNode node = Json.object();
    node.put("TaskHandle", t.handle);
    node.put("Status", t.status);
    node.put("SourceArn", t.sourceArn);
    node.put("DestinationArn", t.destinationArn);
    node.put("ApproximateNumberOfMessagesMoved", t.moved.get());
    node.put("ApproximateNumberOfMessagesToMove", t.toMove);
    node.put("StartedTimestamp", t.started.toEpochMilli());
    if (t.status.equals("FAILED")) {
      node.put("FailureReason", t.failure);
    }
    return node;
  }

  private String sourceTarget(String source) {
    String queue =
        Arns.parse(source)
            .filter(n -> n instanceof Arns.Queue)
            .map(n -> ((Arns.Queue) n).name())
            .orElseThrow(() -> AwsError.sqsInvalid("SourceArn must be an SQS queue ARN"));
    return queues
        .targetOf(queue)
        .orElseThrow(
            () ->
                new AwsError(
                    400,
                    "ResourceNotFoundException",
                    "SourceArn must name a dead-letter queue <target>-dlq of an existing"
                        + " target, got '"
                        + queue
                        + "'"));
  }

  /** Keeps the latest {@link #KEPT_PER_SOURCE} finished tasks of a source queue. */
  private void forgetOldTasks(String target) {
    List<Task> finished = new ArrayList<>();
    for (Task t : tasks.values()) {
      if (t.target.equals(target) && !t.running()) {
        finished.add(t);
      }
    }
    finished.sort(Comparator.comparing((Task t) -> t.started).reversed());
    finished.stream().skip(KEPT_PER_SOURCE).forEach(t -> tasks.remove(t.handle));
  }

  /** Stops running tasks after their current page and waits for them. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    for (Task t : tasks.values()) {
      Thread thread = t.thread;
      if (thread != null) {
        try {
          thread.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
