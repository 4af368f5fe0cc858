package dev.herald.server.ingest;

import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * W3C trace context for ingest: a publisher's valid {@code traceparent} is kept (with a new span
 * for Herald's ingest), otherwise a new trace starts. Carried in the bus record's headers and from
 * there to every target.
 */
public final class TraceContext {
  private static final Pattern TRACEPARENT =
      Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");

  private TraceContext() {}

  public static String ingestSpan(Optional<String> incoming) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String spanId = hex(random, 8);
    if (incoming.isPresent()) {
      var matcher = TRACEPARENT.matcher(incoming.get().trim());
      if (matcher.matches() && !matcher.group(1).equals("0".repeat(32))) {
        return "00-" + matcher.group(1) + "-" + spanId + "-" + matcher.group(3);
      }
    }
    return "00-" + hex(random, 16) + "-" + spanId + "-01";
  }

  private static String hex(ThreadLocalRandom random, int bytes) {
    byte[] value = new byte[bytes];
    random.nextBytes(value);
    return HexFormat.of().formatHex(value);
  }
}
