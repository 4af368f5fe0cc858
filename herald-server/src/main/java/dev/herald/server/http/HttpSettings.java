package dev.herald.server.http;

import java.time.Duration;
import java.util.Map;

/**
 * How the HTTP listener protects itself from slow, idle and numerous clients, with defaults and the
 * environment variables that change them.
 *
 * @param readTimeout a connection whose request is incomplete and that sends no byte for this long
 *     is closed ({@value #READ_TIMEOUT}, seconds, default 10)
 * @param idleTimeout a keep-alive connection with no request for this long is closed ({@value
 *     #IDLE_TIMEOUT}, seconds, default 5)
 * @param maxConnections connections open at once; more wait in the kernel's accept queue until one
 *     closes ({@value #MAX_CONNECTIONS}, default 512)
 * @param loopbackOnly Herald is bound to a loopback address: only requests whose {@code Host} is a
 *     loopback name are served (the DNS-rebinding guard)
 */
public record HttpSettings(
    Duration readTimeout, Duration idleTimeout, int maxConnections, boolean loopbackOnly) {
  public static final String READ_TIMEOUT = "HERALD_HTTP_READ_TIMEOUT_SECONDS";
  public static final String IDLE_TIMEOUT = "HERALD_HTTP_IDLE_TIMEOUT_SECONDS";
  public static final String MAX_CONNECTIONS = "HERALD_HTTP_MAX_CONNECTIONS";

  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_MAX_CONNECTIONS = 512;

  public HttpSettings {
    if (readTimeout.isNegative() || readTimeout.isZero() || readTimeout.toSeconds() > 3600) {
      throw new IllegalArgumentException(
          "the HTTP read timeout must be from 1 to 3600 seconds, got " + readTimeout);
    }
    if (idleTimeout.isNegative() || idleTimeout.isZero() || idleTimeout.toSeconds() > 3600) {
      throw new IllegalArgumentException(
          "the HTTP idle timeout must be from 1 to 3600 seconds, got " + idleTimeout);
    }
    if (maxConnections < 1 || maxConnections > 100_000) {
      throw new IllegalArgumentException(
          "the HTTP connection cap must be from 1 to 100000, got " + maxConnections);
    }
  }

  /** The defaults, for a listener bound to loopback or not. */
  public static HttpSettings defaults(boolean loopbackOnly) {
    return new HttpSettings(
        DEFAULT_READ_TIMEOUT, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS, loopbackOnly);
  }

  /**
   * The settings of {@code env}, defaults for what it does not set.
   *
   * @throws IllegalArgumentException naming the variable whose value is not valid
   */
  public static HttpSettings of(Map<String, String> env, boolean loopbackOnly) {
    return new HttpSettings(
        Duration.ofSeconds(number(env, READ_TIMEOUT, DEFAULT_READ_TIMEOUT.toSeconds(), 3600)),
        Duration.ofSeconds(number(env, IDLE_TIMEOUT, DEFAULT_IDLE_TIMEOUT.toSeconds(), 3600)),
        (int) number(env, MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS, 100_000),
        loopbackOnly);
  }

  public HttpSettings withMaxConnections(int max) {
    return new HttpSettings(readTimeout, idleTimeout, max, loopbackOnly);
  }

  public HttpSettings withTimeouts(Duration read, Duration idle) {
    return new HttpSettings(read, idle, maxConnections, loopbackOnly);
  }

  private static long number(Map<String, String> env, String name, long fallback, long max) {
    String text = env.getOrDefault(name, "").strip();
    if (text.isEmpty()) {
      return fallback;
    }
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + text + "'", e);
    }
    if (value < 1 || value > max) {
      throw new IllegalArgumentException(name + " must be from 1 to " + max + ", got " + value);
    }
    return value;
  }
}
