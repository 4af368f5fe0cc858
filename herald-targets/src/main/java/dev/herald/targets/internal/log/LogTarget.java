package dev.herald.targets.internal.log;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.api.delivery.Delivery;
import dev.herald.api.delivery.Outcome;
import dev.herald.api.delivery.Target;
import dev.herald.core.json.Json;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The {@code log} target: writes each delivered input as one line of JSON at INFO on the logger
 * {@code herald.target.log}, with {@code deliveryKey}, {@code eventId}, {@code rule} and {@code
 * target} in the MDC. Plain-text input is written as a JSON string.
 *
 * <p>With the logger below INFO the delivery succeeds without formatting anything (nothing would be
 * written); the input is then not checked for being JSON either.
 *
 * <p>Thread-safety: immutable; the MDC entries are set and removed on the calling thread.
 */
final class LogTarget implements Target {
  static final String LOGGER = "herald.target.log";
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private final String name;

  LogTarget(String name) {
    this.name = name;
  }

  @Override
  public Outcome deliver(Delivery delivery) {
    if (!LOG.isInfoEnabled()) {
      return new Outcome.Delivered(); // the line would be discarded: don't build it
    }
    String line;
    try {
      line = oneLine(delivery);
    } catch (IOException e) {
      return new Outcome.Permanent(
          "PermanentFailure", "input is not valid JSON: " + e.getMessage());
    }
    try (var a = MDC.putCloseable("deliveryKey", delivery.deliveryKey());
        var b = MDC.putCloseable("eventId", delivery.eventId());
        var c = MDC.putCloseable("rule", delivery.rule());
        var d = MDC.putCloseable("target", name)) {
      LOG.info("{}", line);
    }
    return new Outcome.Delivered();
  }

  private static String oneLine(Delivery delivery) throws IOException {
    String text = new String(delivery.input(), UTF_8);
    if (!delivery.json()) {
      return Json.MAPPER.writeValueAsString(text);
    }
    JsonNode node = Json.MAPPER.readTree(text);
    if (node == null) {
      throw new JsonProcessingException("empty input") {
        private static final long serialVersionUID = 1L;
      };
    }
    return Json.MAPPER.writeValueAsString(node); // compact: no line breaks
  }

  @Override
  public void close() {
    // nothing to release
  }
}
