package dev.herald.engine.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One WARN line per failed attempt and per dead letter, with the delivery's ids in the MDC ({@link
 * DeliveryMdc}) and {@code code}, {@code error} and {@code nextAttemptAt} as key-value pairs; a
 * failure identical to one logged less than {@link #WINDOW} ago (same target, kind, code and
 * message) is only counted, and the count is told on the next such line ("(and 57 more like it in
 * the last 10 s)") or, when none comes, by {@link #flush} once the window has passed. So a target
 * that fails every delivery logs a few lines a window, not one per event, and no failure goes
 * untold.
 *
 * <p>Thread-safety: called from any delivery thread; each failure's window is updated atomically in
 * a concurrent map. At most {@link #MAX_KEYS} distinct failures are tracked at once; past that a
 * failure is logged without being rate-limited.
 */
final class FailureLog {
  static final Duration WINDOW = Duration.ofSeconds(10);
  static final int MAX_KEYS = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(FailureLog.class);

  private record Key(String target, boolean dead, String code, String message) {}

  /** A failure's window: when it was last logged, and how many were counted since. */
  private record Window(Instant start, int suppressed) {}

  private final InstantSource clock;
  private final Map<Key, Window> windows = new ConcurrentHashMap<>();

  FailureLog(InstantSource clock) {
    this.clock = clock;
  }

  /** A failed attempt with a next one due. */
  void failed(AttemptResult.Retrying r) {
    Work work = r.work();
    int before = admit(new Key(work.target(), false, r.code(), r.message()));
    if (before < 0) {
      return;
    }
    DeliveryMdc.with(
        work,
        () ->
            withCount(LOG.atWarn(), before)
                .addKeyValue("code", r.code())
                .addKeyValue("error", r.message())
                .addKeyValue("nextAttemptAt", r.due().toString())
                .log(
                    "delivery to {} failed (attempt {}): {}: {}; next attempt at {}{}",
                    work.target(),
                    work.attempt(),
                    r.code(),
                    r.message(),
                    r.due(),
                    moreLikeIt(before)));
  }

  /** A delivery that became a dead letter. */
  void deadLettered(AttemptResult.DeadLettered d) {
    Work work = d.work();
    int before = admit(new Key(work.target(), true, d.code(), d.message()));
    if (before < 0) {
      return;
    }
    DeliveryMdc.with(
        work,
        () ->
            withCount(LOG.atWarn(), before)
                .addKeyValue("code", d.code())
                .addKeyValue("error", d.message())
                .log(
                    "delivery to {} dead-lettered after {} attempt(s): {}: {}{}",
                    work.target(),
                    work.attempt(),
                    d.code(),
                    d.message(),
                    moreLikeIt(before)));
  }

  /**
   * Tells the failures counted in windows that have passed with no line since, and forgets those
   * windows. Called about once a second.
   */
  void flush() {
    Instant now = clock.instant();
    for (Key key : windows.keySet()) {
      int[] told = {0};
      windows.computeIfPresent(
          key,
          (k, w) -> {
            if (now.isBefore(w.start().plus(WINDOW))) {
              return w;
            }
            told[0] = w.suppressed();
            return null;
          });
      if (told[0] > 0) {
        LOG.atWarn()
            .addKeyValue("target", key.target())
            .addKeyValue("code", key.code())
            .addKeyValue("error", key.message())
            .addKeyValue("suppressed", told[0])
            .log(
                "{} more {} to {} like '{}: {}' in the last {} s",
                told[0],
                key.dead() ? "dead letters" : "failed attempts",
                key.target(),
                key.code(),
                key.message(),
                WINDOW.toSeconds());
      }
    }
  }

  /**
   * Whether to log this failure now: -1 to only count it, else how many like it were counted (and
   * not told) in the window that has just ended.
   */
  private int admit(Key key) {
    Instant now = clock.instant();
    if (windows.size() >= MAX_KEYS && !windows.containsKey(key)) {
      return 0;
    }
    int[] before = {0};
    windows.compute(
        key,
        (k, w) -> {
          if (w == null) {
            return new Window(now, 0);
          }
          if (!now.isBefore(w.start().plus(WINDOW))) {
            before[0] = w.suppressed();
            return new Window(now, 0);
          }
          before[0] = -1;
          return new Window(w.start(), w.suppressed() + 1);
        });
    return before[0];
  }

  private static LoggingEventBuilder withCount(LoggingEventBuilder line, int before) {
    return before > 0 ? line.addKeyValue("suppressed", before) : line;
  }

  private static String moreLikeIt(int before) {
    return before > 0
        ? " (and " + before + " more like it in the last " + WINDOW.toSeconds() + " s)"
        : "";
  }
}
