package dev.herald.server.http;

import dev.herald.core.config.ConfigException;
import dev.herald.core.config.RuleSpecs;
import dev.herald.core.json.Json;
import dev.herald.core.pattern.CompiledPattern;
import dev.herald.core.pattern.RuleMatcher;
import dev.herald.core.routing.RoutableEvent;
import dev.herald.engine.inspect.BusTail;
import dev.herald.engine.inspect.BusTaps;
import dev.herald.engine.inspect.LiveFeed;
import dev.herald.engine.topic.Topics;
import dev.herald.server.ingest.BusDirectory;
import dev.herald.store.Bus;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/buses/{bus}/tail?pattern=...}: the live tail of a bus as server-sent events, each
 * new event that matches the pattern (every event without one) as one {@code event: event} whose
 * data is the delivered envelope. A comment line every 15 s keeps the stream alive and finds
 * clients that left.
 *
 * <p>Never in the data path's way. Where this instance routes every partition of the bus (embedded)
 * a tail taps the router ({@link BusTaps}), which hands it the events it has read and routed: no
 * second fetch or decode. On a cluster, where each instance routes a share of the partitions, a
 * tail reads the bus with a consumer of its own ({@link BusTail}). Either way the feed's thread
 * matches and offers each event to the client's bounded queue and never waits; the request's own
 * thread takes from the queue and writes. A client that does not read fills its socket and then its
 * queue; the first event that finds the queue full ({@link #QUEUE_EVENTS} events or {@link
 * #QUEUE_BYTES} bytes) drops it: the tail stops, and the writer, blocked in a socket write, is
 * interrupted, which closes the connection. At most {@link #MAX_TAILS} tails run per instance (429
 * past it).
 *
 * <p>Thread-safe: each request has its own session; the tail count is a semaphore.
 */
public final class TailApi {
  private static final Logger LOG = LoggerFactory.getLogger(TailApi.class);
  static final int MAX_TAILS = 32;
  static final int QUEUE_EVENTS = 10_000;
  static final long QUEUE_BYTES = 16L * 1024 * 1024;
  private static final Duration HEARTBEAT = Duration.ofSeconds(15);
  private static final byte[] KEEPALIVE = ": keepalive\n\n".getBytes(StandardCharsets.UTF_8);

  private final BusDirectory buses;
  private final Topics topics;
  private final Optional<BusTaps> taps;
  private final String bootstrapServers;
  private final int maxMessageBytes;
  private final String account;
  private final String region;
  private final Semaphore slots = new Semaphore(MAX_TAILS);
  private final AtomicLong dropped = new AtomicLong();

  /**
   * @param taps the routers' taps when this instance routes every partition of every bus
   *     (embedded), else empty: each tail then reads the bus itself
   */
  public TailApi(
      BusDirectory buses,
      Topics topics,
      Optional<BusTaps> taps,
      String bootstrapServers,
      int maxMessageBytes,
      String account,
      String region) {
    this.buses = buses;
    this.topics = topics;
    this.taps = taps;
    this.bootstrapServers = bootstrapServers;
    this.maxMessageBytes = maxMessageBytes;
    this.account = account;
    this.region = region;
  }

  public void register(HttpRouting.Builder routing) {
    routing.get("/v1/buses/{bus}/tail", this::tail);
  }

  /** Tails dropped since start because their client did not read. */
  public long droppedCount() {
    return dropped.get();
  }

  private void tail(ServerRequest req, ServerResponse res) {
    String name = req.path().pathParameters().get("bus");
    Optional<RuleMatcher> pattern =
        req.query()
            .first("pattern")
            .asOptional()
            .map(text -> RuleMatcher.builder().add("tail", compile(text)).build());
    Bus bus =
        buses
            .byName(name)
            .orElseThrow(
                () -> ApiError.notFound("BusNotFound", "bus '" + name + "' does not exist"));
    int partitions =
        topics
            .partitions(Topics.busTopic(name))
            .orElseThrow(
                () -> ApiError.notFound("BusNotFound", "bus '" + name + "' has no topic yet"));
    if (!slots.tryAcquire()) {
      res.header("Retry-After", "5");
      throw new ApiError(
          429, "TooManyTails", "this instance serves " + MAX_TAILS + " tails at most; try later");
    }
    try {
      stream(res, bus, partitions, pattern);
    } finally {
      slots.release();
    }
  }

  private static CompiledPattern compile(String text) {
    try {
      return RuleSpecs.compilePattern(Json.MAPPER.readTree(text));
    } catch (IOException e) {
      throw new ConfigException.Invalid(
          "InvalidPattern", "pattern", "pattern is not JSON: " + e.getMessage());
    }
  }

  private void stream(ServerResponse res, Bus bus, int partitions, Optional<RuleMatcher> pattern) {
    Session session = new Session(Thread.currentThread());
    res.status(200);
    res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    res.header("X-Accel-Buffering", "no");
    Consumer<RoutableEvent> sink = event -> session.offer(event, pattern);
    try (LiveFeed tail =
            taps.isPresent()
                ? taps.get().open(bus.name(), sink)
                : BusTail.start(
                    bootstrapServers,
                    maxMessageBytes,
                    bus.name(),
                    bus.ordinal(),
                    partitions,
                    account,
                    region,
                    sink);
        OutputStream out = res.outputStream()) {
      out.write(
          ("event: ready\ndata: {\"bus\":\"" + bus.name() + "\"}\n\n")
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      long heartbeatNanos = HEARTBEAT.toNanos();
      while (!session.dropped && tail.isRunning()) {
        byte[] data = session.take(heartbeatNanos);
        if (session.dropped) {
          break;
        }
        if (data == null) {
          out.write(KEEPALIVE);
        } else {
          out.write(data);
          for (byte[] more; (more = session.take(0)) != null; ) {
            out.write(more);
          }
        }
        out.flush();
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      // the client left, or was dropped and its connection closed by the interrupt
    } catch (InterruptedException e) {
      // dropped: the interrupt closed the connection
    } catch (RuntimeException e) {
      if (!session.dropped) {
        throw e;
      }
    } finally {
      session.close();
      Thread.interrupted(); // a drop's interrupt must not reach the server's next use of the thread
    }
  }

  /** One client's queue, filled by its tail's thread and drained by its request's thread. */
  private final class Session {
    final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE_EVENTS);
    final Thread writer;
    final java.util.concurrent.atomic.AtomicLong queued =
        new java.util.concurrent.atomic.AtomicLong();
    volatile boolean dropped;
    private boolean closed; // guarded by this

    Session(Thread writer) {
      this.writer = writer;
    }

    /** On the tail's thread: never blocks. */
    void offer(RoutableEvent event, Optional<RuleMatcher> pattern) {
      if (dropped) {
        return;
      }
      if (pattern.isPresent() && pattern.get().matches(event.envelope()).isEmpty()) {
        return;
      }
      String envelope = new String(event.envelopeBytes(), StandardCharsets.UTF_8);
      byte[] frame =
          ("event: event\nid: " + event.event().id() + "\ndata: " + envelope + "\n\n")
              .getBytes(StandardCharsets.UTF_8);
      if (queued.addAndGet(frame.length) > QUEUE_BYTES || !queue.offer(frame)) {
        drop(event.event().bus());
      }
    }

    /** On the writer's thread: the next frame, waiting up to {@code nanos}; null if none. */
    byte[] take(long nanos) throws InterruptedException {
      byte[] frame = queue.poll(nanos, TimeUnit.NANOSECONDS);
      if (frame != null) {
        queued.addAndGet(-frame.length);
      }
      return frame;
    }

    /** Marks the session dropped and interrupts its writer, unless the writer has finished. */
    synchronized void drop(String bus) {
      if (closed || dropped) {
        return;
      }
      dropped = true;
      dropped();
      LOG.warn(
          "tail of bus {} dropped: its client did not read {} queued events", bus, queue.size());
      writer.interrupt(); // a socket write blocked in the writer ends, closing the connection
    }

    /** The writer has finished: no interrupt may reach its thread from now on. */
    synchronized void close() {
      closed = true;
    }
  }

  private void dropped() {
    dropped.incrementAndGet();
  }
}
