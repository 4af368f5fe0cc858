package dev.herald.server.ops;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Locale;
import java.util.Map;

/**
 * {@code HERALD_LOG_FORMAT}: {@code json} (the default: one JSON object per line, for log
 * collectors) or {@code text} (one readable line, for people at a terminal). {@code logback.xml}
 * has an appender for each, and this filter on each lets through only the lines of the chosen one
 * (any other value means JSON); {@link #check} refuses any other value when Herald starts, so that
 * a typo is an error naming the variable and not silently JSON. Thread-safe: fixed at start.
 */
public final class LogFormat extends Filter<ILoggingEvent> {
  public static final String VARIABLE = "HERALD_LOG_FORMAT";

  private boolean selected;

  /**
   * Logback sets it: {@code json} or {@code text}, the format of the appender this filter is on.
   */
  public void setFormat(String format) {
    boolean text = "text".equals(normalized(System.getenv(VARIABLE)));
    selected = "text".equals(normalized(format)) == text;
  }

  @Override
  public FilterReply decide(ILoggingEvent event) {
    return selected ? FilterReply.NEUTRAL : FilterReply.DENY;
  }

  /**
   * Throws when {@code HERALD_LOG_FORMAT} is set to something else than {@code json} or {@code
   * text}.
   */
  public static void check(Map<String, String> env) {
    String value = env.get(VARIABLE);
    if (value == null) {
      return;
    }
    String format = normalized(value);
    if (!format.equals("json") && !format.equals("text")) {
      throw new IllegalArgumentException(VARIABLE + " must be json or text, got '" + value + "'");
    }
  }

  private static String normalized(String value) {
    return value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
  }
}
