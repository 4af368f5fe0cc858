package dev.herald.bench.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counts the outcomes and records the latencies (microseconds, 3 significant digits) of the
 * requests that belong to the measured {@link Window}; requests outside it are ignored.
 *
 * <p>Thread-safe: any number of request threads call {@link #record}; the HdrHistogram {@link
 * Recorder} and the adders are wait-free for them. {@link #result} is called once, after every
 * request thread has finished.
 */
public final class Tally {

  private final Window window;
  private final Recorder latencyMicros = new Recorder(3);
  private final LongAdder requests = new LongAdder();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder failedEntries = new LongAdder();
  private final LongAdder httpErrors = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

  public Tally(Window window) {
    this.window = window;
  }

  public Window window() {
    return window;
  }

  /**
   * Records one request that was meant to start at {@code startNanos} and finished at {@code
   * doneNanos}. Returns whether it fell in the measured window.
   */
  public boolean record(long startNanos, long doneNanos, Outcome outcome) {
    if (!window.measures(startNanos)) {
      return false;
    }
    latencyMicros.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(doneNanos - startNanos)));
    requests.increment();
    switch (outcome) {
      case Outcome.Answered a -> {
        accepted.add(a.accepted());
        failedEntries.add(a.failed());
        a.errorCodes().forEach((code, n) -> count("entry:" + code, n));
      }
      case Outcome.HttpError e -> {
        httpErrors.increment();
        count("http:" + e.status(), 1);
      }
      case Outcome.Failure f -> {
        failures.increment();
        count("io:" + f.kind(), 1);
      }
    }
    return true;
  }

  private void count(String key, long n) {
    errors.computeIfAbsent(key, k -> new LongAdder()).add(n);
  }

  /** The totals; call after all requests finished. */
  public Result result() {
    Histogram h = latencyMicros.getIntervalHistogram();
    Map<String, Long> errorCounts = new TreeMap<>();
    errors.forEach((k, v) -> errorCounts.put(k, v.sum()));
    return new Result(
        window.measuredSeconds(),
        requests.sum(),
        accepted.sum(),
        failedEntries.sum(),
        httpErrors.sum(),
        failures.sum(),
        errorCounts,
        h);
  }

  /** Totals of a measured window. Latencies are in microseconds. */
  public record Result(
      double seconds,
      long requests,
      long acceptedEvents,
      long failedEntries,
      long httpErrors,
      long failures,
      Map<String, Long> errors,
      Histogram latencyMicros) {

    public double eventsPerSecond() {
      return acceptedEvents / seconds;
    }

    public double requestsPerSecond() {
      return requests / seconds;
    }

    /** The latency at a percentile, in milliseconds (0 when nothing was recorded). */
    public double latencyMillis(double percentile) {
      return latencyMicros.getTotalCount() == 0
          ? 0
          : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }

    public double maxLatencyMillis() {
      return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getMaxValue() / 1000.0;
    }
  }
}
