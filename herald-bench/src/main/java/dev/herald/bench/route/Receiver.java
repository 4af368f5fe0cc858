package dev.herald.bench.route;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.herald.bench.rabbit.HttpConsumer;
import dev.herald.core.event.EventId;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The local HTTP receiver that every delivery benchmark sends to (a JDK HttpServer on virtual
 * threads, bound to 127.0.0.1): {@code /hook} answers 204, counts the delivery and, while
 * measuring, records the time from the event's ingestion to now; {@code /fail} answers {@code
 * failStatus}; {@code /slow} answers 204 after {@code slowDelay}. A replayed delivery (header
 * {@code herald-replay-name}) is counted apart and never measured.
 *
 * <p>The ingestion time comes from the {@code herald-event-id} header (Herald's event id encodes
 * it) or, for the RabbitMQ baseline, from {@value HttpConsumer#PUBLISHED_AT} (epoch millis at
 * publish).
 *
 * <p>Thread-safety: the handlers run on any number of virtual threads; the counter, the flag and
 * the histogram are concurrent; {@link #measure} and {@link #stopMeasuring} are called by the
 * benchmark's thread.
 */
public final class Receiver implements AutoCloseable {
  private final HttpServer server;
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong slow = new AtomicLong();
  private final AtomicLong replayed = new AtomicLong();
  private final AtomicBoolean measuring = new AtomicBoolean();
  private final Histogram latency = new ConcurrentHistogram(60_000, 3);

  private Receiver(HttpServer server) {
    this.server = server;
  }

  /** Starts a receiver on a free port of 127.0.0.1. */
  public static Receiver start(int failStatus, Duration slowDelay) throws IOException {
    if (failStatus < 400 || failStatus > 599) {
      throw new IllegalArgumentException("failStatus: " + failStatus + " is not an error status");
    }
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4096);
    Receiver receiver = new Receiver(server);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", exchange -> receiver.handle(exchange, failStatus, slowDelay));
    server.start();
    return receiver;
  }

  private void handle(HttpExchange exchange, int failStatus, Duration slowDelay)
      throws IOException {
    exchange.getRequestBody().readAllBytes();
    String path = exchange.getRequestURI().getPath();
    if (path.equals("/fail")) {
      failed.incrementAndGet();
      exchange.sendResponseHeaders(failStatus, -1);
      exchange.close();
      return;
    }
    if (path.equals("/slow")) {
      try {
        Thread.sleep(slowDelay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      slow.incrementAndGet();
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
      return;
    }
    received.incrementAndGet();
    if (exchange.getRequestHeaders().getFirst("herald-replay-name") != null) {
      replayed.incrementAndGet(); // ingested long ago: not a live latency
    } else if (measuring.get()) {
      ingestedAt(
              exchange.getRequestHeaders().getFirst("herald-event-id"),
              exchange.getRequestHeaders().getFirst(HttpConsumer.PUBLISHED_AT))
          .ifPresent(
              at ->
                  latency.recordValue(
                      Math.max(0, Math.min(60_000, System.currentTimeMillis() - at))));
    }
    exchange.sendResponseHeaders(204, -1);
    exchange.close();
  }

  /** The ingestion time of a delivery from either header, when one is well-formed. */
  static OptionalLong ingestedAt(String heraldEventId, String publishedAt) {
    if (heraldEventId != null) {
      return EventId.parse(heraldEventId)
          .map(id -> OptionalLong.of(id.ingestedAtMillis()))
          .orElse(OptionalLong.empty());
    }
    if (publishedAt != null) {
      try {
        return OptionalLong.of(Long.parseLong(publishedAt));
      } catch (NumberFormatException e) {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.empty();
  }

  /** The URL of one of the receiver's paths: {@code /hook}, {@code /fail} or {@code /slow}. */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** Deliveries answered on {@code /hook} so far. */
  public long received() {
    return received.get();
  }

  /** Replayed deliveries (header {@code herald-replay-name}) answered on {@code /hook} so far. */
  public long replayed() {
    return replayed.get();
  }

  /** Calls answered on {@code /fail} so far. */
  public long failed() {
    return failed.get();
  }

  /** Calls answered on {@code /slow} so far. */
  public long slowAnswered() {
    return slow.get();
  }

  /** Empties the latency histogram and records from now on. */
  public void measure() {
    latency.reset();
    measuring.set(true);
  }

  /** Stops recording; returns a copy of what was recorded since {@link #measure}. */
  public Histogram stopMeasuring() {
    measuring.set(false);
    return latency.copy();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
