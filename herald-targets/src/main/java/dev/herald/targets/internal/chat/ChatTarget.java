package dev.herald.targets.internal.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.delivery.Delivery;
import dev.herald.api.delivery.Outcome;
import dev.herald.api.delivery.Target;
import dev.herald.core.json.Json;
import dev.herald.targets.TargetContext;
import dev.herald.targets.internal.http.Http1;
import dev.herald.targets.internal.http.HttpCalls;
import dev.herald.targets.internal.http.HttpOutcomes;
import dev.herald.targets.internal.template.Templates;
import dev.herald.targets.internal.template.Templates.RenderException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code chat} target: posts {@code {"text": ..., "blocks": [...]}}, rendered from the
 * delivered input, to a Slack-compatible incoming webhook. Answers map as for webhooks ({@link
 * HttpOutcomes}): 2xx delivered, 408/429/5xx retried with {@code Retry-After}, 410 gone, other
 * statuses permanent; a template that cannot be rendered is a permanent {@code TemplateError}.
 * Messages name the URL's host but never its path, which holds the webhook's secret.
 *
 * <p>Thread-safety: immutable; {@link #deliver} may be called from any number of threads at once.
 */
final class ChatTarget implements Target {
  private static final Logger LOG = LoggerFactory.getLogger(ChatTarget.class);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final int MAX_RESPONSE_BODY = 16 * 1024;

  private final String name;
  private final ChatSettings settings;
  private final InstantSource clock;
  private final HttpCalls calls;
  private final String where;

  ChatTarget(String name, ChatSettings settings, TargetContext context) {
    this.name = name;
    this.settings = settings;
    this.clock = context.clock();
    this.calls = new HttpCalls(context, CONNECT_TIMEOUT, MAX_RESPONSE_BODY);
    this.where = "POST " + settings.url().getScheme() + "://" + settings.url().getRawAuthority();
  }

  @Override
  public Outcome deliver(Delivery delivery) {
    byte[] body;
    try {
      body = Json.MAPPER.writeValueAsBytes(payload(Templates.scope(delivery)));
    } catch (RenderException e) {
      return new Outcome.Permanent("TemplateError", e.getMessage());
    } catch (JsonProcessingException e) {
      return new Outcome.Permanent("PermanentFailure", "cannot write the message: " + e);
    }
    Outcome outcome =
        calls.attempt(
            settings.url(),
            where,
            address -> {
              Http1.Request request =
                  new Http1.Request("POST", settings.url(), address, headers(delivery), body);
              Http1.Response response = calls.http().exchange(request, delivery.deadline());
              return HttpOutcomes.of(response, where, clock.instant());
            });
    LOG.debug("target {} delivery {}: {}", name, delivery.deliveryKey(), outcome);
    return outcome;
  }

  private ObjectNode payload(Object scope) throws RenderException {
    ObjectNode message = Json.object();
    if (settings.text().isPresent()) {
      message.put("text", settings.text().get().render(scope));
    }
    if (settings.blocks().isPresent()) {
      message.set("blocks", settings.blocks().get().render(scope));
    }
    return message;
  }

  private static List<Map.Entry<String, String>> headers(Delivery delivery) {
    return List.of(
        Map.entry("Content-Type", "application/json"),
        Map.entry("User-Agent", "Herald"),
        Map.entry("webhook-id", delivery.deliveryKey()),
        Map.entry("herald-event-id", delivery.eventId()));
  }

  @Override
  public void close() {
    calls.close();
  }

  @Override
  public String toString() {
    return "chat target " + name + " (" + where + "/...)";
  }
}
