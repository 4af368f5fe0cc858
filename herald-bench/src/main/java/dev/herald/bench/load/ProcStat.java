package dev.herald.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of another process on this machine, from {@code /proc/PID/stat} (user + system time of
 * all its threads, in clock ticks of {@code clk.tck}, default 100: pass {@code -Dclk.tck=$(getconf
 * CLK_TCK)} where it differs). Stateless.
 */
public final class ProcStat {
  private static final long TICK_NANOS = 1_000_000_000L / Long.getLong("clk.tck", 100);

  private ProcStat() {}

  /** User + system CPU time of process {@code pid} so far, in nanoseconds. */
  public static long cpuNanos(long pid) throws IOException {
    return ticks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))) * TICK_NANOS;
  }

  /** utime + stime of a {@code /proc/PID/stat} line (fields 14 and 15; comm may hold spaces). */
  static long ticks(String stat) {
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("stat: not a /proc/PID/stat line: " + stat);
    }
    String[] fields = stat.substring(close + 2).trim().split(" ");
    // fields[0] is field 3 (state): utime is field 14, stime field 15
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }
}
