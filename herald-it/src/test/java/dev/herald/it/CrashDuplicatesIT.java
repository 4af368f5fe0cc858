package dev.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Why a receiver sees some events twice after a {@code kill -9}, and how many at most: a call is
 * repeated after a restart only if the receiver may have seen it and its result was not durable in
 * the journal, that is if it was in flight or completed but not yet recorded at the kill. Herald
 * exports both numbers ({@code herald_delivery_in_flight}, {@code herald_delivery_unrecorded});
 * this test samples them until the kill and checks that the duplicates stay within what was at risk
 * at the kill: what the last sample counted, plus the calls that reached the receiver after that
 * sample began (a call that started later and was not recorded by the kill has reached the receiver
 * by then, or it is no duplicate). A sample can be tens of milliseconds old at the kill on a busy
 * machine; the second term covers exactly that gap.
 */
class CrashDuplicatesIT {
  private static final Logger LOG = LoggerFactory.getLogger(CrashDuplicatesIT.class);
  private static final int EVENTS = 3_000;
  private static final int PER_REQUEST = 500;
  private static final Duration KILL_AFTER = Duration.ofMillis(300);
  private static final int SAMPLERS = 2;

  @TempDir Path tmp;

  /** A receiver counting the calls per event id. */
  static final class Receiver implements AutoCloseable {
    final HttpServer server;
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);

    /** Events called again after the kill that had been called before it. */
    final Set<String> calledBeforeKill = ConcurrentHashMap.newKeySet();

    final Set<String> repeatedAcrossKill = ConcurrentHashMap.newKeySet();

    /** When each call before the kill arrived, in nanoseconds of {@link System#nanoTime}. */
    final Queue<Long> arrivalsBeforeKill = new ConcurrentLinkedQueue<>();

    Receiver() throws Exception {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.createContext(
          "/",
          exchange -> {
            exchange.getRequestBody().readAllBytes();
            String event = exchange.getRequestHeaders().getFirst("herald-event-id");
            calls.computeIfAbsent(event, e -> new AtomicInteger()).incrementAndGet();
            long arrived = System.nanoTime();
            if (arrived < killedAt.get()) {
              arrivalsBeforeKill.add(arrived);
              calledBeforeKill.add(event);
            } else if (calledBeforeKill.contains(event)) {
              repeatedAcrossKill.add(event);
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
          });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    int duplicates(Set<String> events) {
      return events.stream()
          .map(calls::get)
          .filter(n -> n != null)
          .mapToInt(n -> n.get() - 1)
          .sum();
    }

    boolean sawAll(Set<String> events) {
      return calls.keySet().containsAll(events);
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  /**
   * One reading of the two gauges: the scrape {@code began} and was answered {@code at}, in
   * nanoseconds of {@link System#nanoTime}.
   */
  record Sample(long began, long at, double inFlight, double unrecorded) {
    double atRisk() {
      return inFlight + unrecorded;
    }
  }

  @Test
  void duplicatesAfterAKillNineAreAtMostTheCallsInFlightOrNotYetRecorded() throws Exception {
    Path dataDir = Files.createDirectories(tmp.resolve("data"));
    try (Receiver receiver = new Receiver();
        HeraldProcess herald = HeraldProcess.start(dataDir)) {
      herald.awaitReady(Duration.ofSeconds(60));
      put(
          herald,
          "/v1/targets/hook",
          "{\"type\":\"webhook\",\"webhook\":{\"url\":\"" + receiver.url() + "\"}}");
      put(
          herald,
          "/v1/buses/default/rules/all",
          "{\"pattern\":{\"source\":[\"crash.duplicates\"]},\"targets\":[{\"target\":\"hook\"}]}");

      // a first round warms Herald up, so that the round killed runs at full speed
      Set<String> warmUp = publish(herald);
      awaitAll(receiver, warmUp, Duration.ofMinutes(2));

      List<Sample> samples = new CopyOnWriteArrayList<>();
      AtomicBoolean sampling = new AtomicBoolean(true);
      List<Thread> samplers = new ArrayList<>();
      for (int i = 0; i < SAMPLERS; i++) {
        samplers.add(Thread.ofPlatform().start(() -> sample(herald, samples, sampling)));
      }
      long publishing = System.nanoTime();
      Set<String> published = publish(herald);
      long publishedAt = System.nanoTime();
      Thread.sleep(KILL_AFTER);
      // a scrape can take longer than that on a loaded machine: wait for one that began after the
      // last publish (at most 3 s), so that the last sample describes the delivery under way
      long latest = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      while (samples.stream().noneMatch(x -> x.began() > publishedAt)
          && System.nanoTime() < latest) {
        Thread.sleep(1);
      }
      long killedAt = System.nanoTime();
      herald.kill9();
      receiver.killedAt.set(System.nanoTime());
      sampling.set(false);
      for (Thread sampler : samplers) {
        sampler.join();
      }
      int seenBeforeKill = (int) published.stream().filter(receiver.calls::containsKey).count();
      int duplicatesBeforeKill = receiver.duplicates(published);

      herald.restart();
      herald.awaitReady(Duration.ofSeconds(60));
      awaitAll(receiver, published, Duration.ofMinutes(3));
      assertThat(receiver.calls.keySet()).containsAll(published);

      List<Sample> aroundKill =
          samples.stream().filter(s -> s.at() >= publishing && s.at() <= killedAt).toList();
      assertThat(aroundKill).as("samples between the first publish and the kill").isNotEmpty();
      Sample last = aroundKill.getLast();
      long arrivedSinceLast =
          receiver.arrivalsBeforeKill.stream().filter(t -> t > last.began()).count();
      double bound = last.atRisk() + arrivedSinceLast;
      double mostAtRisk = aroundKill.stream().mapToDouble(Sample::atRisk).max().orElseThrow();
      OptionalDouble maxUnrecorded = aroundKill.stream().mapToDouble(Sample::unrecorded).max();
      int duplicates = receiver.duplicates(published);
      LOG.info(
          "kill -9 {} ms after publishing {} events: {} distinct events had reached the receiver;"
              + " last sample before the kill ({} ms before it): {} calls in flight, {} completed"
              + " but not recorded, {} calls reached the receiver after it began: at risk at the kill"
              + " at most {}; most at risk in {} samples since publishing began: {} (unrecorded at"
              + " most {}); duplicates the receiver saw: {} ({} before the kill, {} events called"
              + " before the kill and again after it); records joined to a delivery in progress"
              + " after the restart: {}; samples at (ms before the kill): {}",
          Duration.ofNanos(killedAt - publishedAt).toMillis(),
          EVENTS,
          seenBeforeKill,
          Duration.ofNanos(killedAt - last.at()).toMillis(),
          (int) last.inFlight(),
          (int) last.unrecorded(),
          arrivedSinceLast,
          (int) bound,
          aroundKill.size(),
          (int) mostAtRisk,
          (int) maxUnrecorded.orElseThrow(),
          duplicates,
          duplicatesBeforeKill,
          receiver.repeatedAcrossKill.stream().filter(published::contains).count(),
          herald
              .get("/metrics")
              .body()
              .lines()
              .filter(l -> l.startsWith("herald_delivery_joined"))
              .toList(),
          aroundKill.stream()
              .map(x -> (killedAt - x.at()) / 1_000_000 + ":" + (int) x.atRisk())
              .toList());
      assertThat(duplicatesBeforeKill).as("duplicates before the kill").isZero();
      assertThat((double) duplicates)
          .as("duplicates after the restart, at most what was in flight or unrecorded at the kill")
          .isLessThanOrEqualTo(bound);
    }
  }

  private static Set<String> publish(HeraldProcess herald) {
    Set<String> published = new HashSet<>();
    for (int i = 0; i < EVENTS / PER_REQUEST; i++) {
      HttpResponse<String> answer = herald.post("/v1/events", batch());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      HeraldProcess.json(answer)
          .get("entries")
          .forEach(e -> published.add(e.get("eventId").asText()));
    }
    assertThat(published).hasSize(EVENTS);
    return published;
  }

  private static void awaitAll(Receiver receiver, Set<String> events, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!receiver.sawAll(events) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  /** Reads the two gauges from {@code /metrics} as often as the server answers, until stopped. */
  private static void sample(HeraldProcess herald, List<Sample> samples, AtomicBoolean sampling) {
    while (sampling.get()) {
      try {
        long began = System.nanoTime();
        String body = herald.get("/metrics").body();
        samples.add(
            new Sample(
                began,
                System.nanoTime(), // the gauges are read at the end of the answer
                gauge(body, "herald_delivery_in_flight"),
                gauge(body, "herald_delivery_unrecorded")));
        Thread.sleep(2);
      } catch (UncheckedIOException | IllegalStateException e) {
        return; // killed
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static double gauge(String metrics, String name) {
    List<String> lines = new ArrayList<>();
    metrics
        .lines()
        .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .forEach(lines::add);
    if (lines.isEmpty()) {
      throw new AssertionError("no gauge " + name + " in /metrics");
    }
    String line = lines.getFirst();
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  private static String batch() {
    StringBuilder body = new StringBuilder("{\"entries\":[");
    for (int i = 0; i < PER_REQUEST; i++) {
      body.append(i == 0 ? "" : ",")
          .append("{\"source\":\"crash.duplicates\",\"detailType\":\"T\",\"detail\":{\"i\":")
          .append(i)
          .append("}}");
    }
    return body.append("]}").toString();
  }

  private static void put(HeraldProcess herald, String path, String json) {
    HttpResponse<String> answer = herald.put(path, json);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
  }
}
