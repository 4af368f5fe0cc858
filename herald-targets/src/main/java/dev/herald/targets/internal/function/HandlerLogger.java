package dev.herald.targets.internal.function;

import java.text.MessageFormat;
import java.util.ResourceBundle;
import org.slf4j.Logger;

/**
 * The {@link System.Logger} a handler gets in its {@link dev.herald.api.Context}: writes to the
 * SLF4J logger {@code herald.function.<target>}, so handler lines land in Herald's log with the MDC
 * the function target sets (target, rule, event id, delivery key). Messages with parameters are
 * {@link MessageFormat} patterns, as {@link System.Logger} specifies. Thread-safe: stateless apart
 * from the SLF4J logger.
 */
final class HandlerLogger implements System.Logger {
  private final Logger logger;

  HandlerLogger(Logger logger) {
    this.logger = logger;
  }

  @Override
  public String getName() {
    return logger.getName();
  }

  @Override
  public boolean isLoggable(System.Logger.Level level) {
    return switch (level) {
      case OFF -> false;
      default -> logger.isEnabledForLevel(slf4j(level));
    };
  }

  @Override
  public void log(System.Logger.Level level, ResourceBundle bundle, String msg, Throwable thrown) {
    if (isLoggable(level)) {
      logger.atLevel(slf4j(level)).setCause(thrown).log(localized(bundle, msg));
    }
  }

  @Override
  public void log(
      System.Logger.Level level, ResourceBundle bundle, String format, Object... params) {
    if (isLoggable(level)) {
      String pattern = localized(bundle, format);
      logger.atLevel(slf4j(level)).log(format(pattern, params));
    }
  }

  private static String format(String pattern, Object... params) {
    if (params == null || params.length == 0 || pattern == null) {
      return pattern;
    }
    try {
      return MessageFormat.format(pattern, params);
    } catch (IllegalArgumentException e) { // not a valid pattern: keep everything readable
      return pattern + " " + java.util.Arrays.toString(params);
    }
  }

  private static String localized(ResourceBundle bundle, String key) {
    if (bundle != null && key != null && bundle.containsKey(key)) {
      return bundle.getString(key);
    }
    return key;
  }

  private static org.slf4j.event.Level slf4j(System.Logger.Level level) {
    return switch (level) {
      case ALL, TRACE -> org.slf4j.event.Level.TRACE;
      case DEBUG -> org.slf4j.event.Level.DEBUG;
      case INFO -> org.slf4j.event.Level.INFO;
      case WARNING -> org.slf4j.event.Level.WARN;
      case ERROR, OFF -> org.slf4j.event.Level.ERROR;
    };
  }
}
