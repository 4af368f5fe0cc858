package com.example.orders;

import dev.herald.api.Context;
import dev.herald.api.Event;
import dev.herald.api.EventHandler;
import dev.herald.api.PermanentException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Appends one audit line per order event to a file: event id, detail type, order id, attempt,
 * delivery key, deadline, tab-separated. The file is the system property {@code order.audit.file},
 * else the environment variable {@code ORDER_AUDIT_FILE}, else {@code order-audit.log} in the
 * working directory; it is opened once, when Herald creates the handler, and closed with it.
 *
 * <p>An event without {@code detail.orderId} can never be audited: it is refused with {@link
 * PermanentException} and becomes a dead letter. A failed write throws {@link IOException}: Herald
 * retries it.
 *
 * <p>Thread-safety: Herald calls {@link #handle} from several threads; lines are written under the
 * writer's lock, one whole line at a time.
 */
public final class OrderAuditHandler implements EventHandler {
  /**
   * {@code "orderId": "..."} or {@code "orderId": 123}; a real handler would bundle a JSON parser.
   */
  private static final Pattern ORDER_ID =
      Pattern.compile("\"orderId\"\\s*:\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|(-?[0-9]+))");

  private final BufferedWriter out;

  public OrderAuditHandler() throws IOException {
    Path file = auditFile();
    out =
        Files.newBufferedWriter(
            file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static Path auditFile() {
    String configured = System.getProperty("order.audit.file", System.getenv("ORDER_AUDIT_FILE"));
    return Path.of(configured == null || configured.isBlank() ? "order-audit.log" : configured);
  }

  @Override
  public void handle(Event event, Context context) throws IOException {
    String orderId =
        orderId(event)
            .orElseThrow(
                () -> new PermanentException("event " + event.id() + " has no detail.orderId"));
    String line =
        String.join(
            "\t",
            event.id(),
            event.detailType().orElse("-"),
            orderId,
            Integer.toString(context.attempt()),
            context.deliveryKey(),
            context.deadline().toString());
    synchronized (out) {
      out.write(line);
      out.newLine();
      out.flush();
    }
    context.logger().log(System.Logger.Level.DEBUG, "audited order {0}", orderId);
  }

  static Optional<String> orderId(Event event) {
    return event
        .detail()
        .map(ORDER_ID::matcher)
        .filter(Matcher::find)
        .map(m -> m.group(1) != null ? m.group(1) : m.group(2));
  }

  @Override
  public void close() {
    synchronized (out) {
      try {
        out.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
