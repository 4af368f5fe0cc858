package dev.herald.targets.internal.webhook;

import dev.herald.api.delivery.Delivery;
import dev.herald.api.delivery.Outcome;
import dev.herald.api.delivery.Target;
import dev.herald.targets.TargetContext;
import dev.herald.targets.internal.http.AddressPolicy;
import dev.herald.targets.internal.http.Http1;
import dev.herald.targets.internal.http.HttpCalls;
import dev.herald.targets.internal.http.HttpOutcomes;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code webhook} target: one HTTP request per attempt (on a kept-alive connection), signed
 * with Standard Webhooks signatures, sent only to addresses the {@link AddressPolicy} accepts, and
 * to exactly the address it checked.
 *
 * <p>Thread-safety: immutable apart from the OAuth token cache, which guards itself; {@link
 * #deliver} may be called from any number of threads at once.
 */
final class WebhookTarget implements Target {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookTarget.class);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final int MAX_RESPONSE_BODY = 64 * 1024;

  private final String name;
  private final WebhookSettings settings;
  private final InstantSource clock;
  private final HttpCalls calls;
  private final Optional<HttpCalls> tokenCalls;
  private final Optional<OAuthTokens> tokens;
  private final String where;

  WebhookTarget(String name, WebhookSettings settings, TargetContext context) {
    this.name = name;
    this.settings = settings;
    this.clock = context.clock();
    this.calls =
        settings.tls().isPresent()
            ? new HttpCalls(
                context, CONNECT_TIMEOUT, MAX_RESPONSE_BODY, settings.tls().get().socketFactory())
            : new HttpCalls(context, CONNECT_TIMEOUT, MAX_RESPONSE_BODY);
    // the token endpoint is not the receiver: the webhook's own TLS is not for it
    this.tokenCalls =
        settings.tls().isPresent() && settings.auth() instanceof WebhookSettings.Auth.OAuth
            ? Optional.of(new HttpCalls(context, CONNECT_TIMEOUT, MAX_RESPONSE_BODY))
            : Optional.empty();
    HttpCalls forTokens = tokenCalls.orElse(calls);
    this.tokens =
        settings.auth() instanceof WebhookSettings.Auth.OAuth oauth
            ? Optional.of(new OAuthTokens(oauth, forTokens.http(), forTokens.addresses(), clock))
            : Optional.empty();
    this.where = HttpCalls.describe(settings.method(), settings.url());
  }

  @Override
  public Outcome deliver(Delivery delivery) {
    Outcome outcome = attempt(delivery, payload(delivery));
    LOG.debug(
        "target {} delivery {} attempt {}: {}",
        name,
        delivery.deliveryKey(),
        delivery.attempt(),
        outcome);
    return outcome;
  }

  /**
   * What is sent: the input itself, or the input as a CloudEvent (with its headers in binary mode).
   */
  private record Payload(byte[] body, String contentType, List<Map.Entry<String, String>> headers) {
    Payload(byte[] body, String contentType) {
      this(body, contentType, List.of());
    }
  }

  private Payload payload(Delivery delivery) {
    return switch (settings.format()) {
      case CLOUDEVENTS -> new Payload(CloudEvents.structured(delivery), CloudEvents.CONTENT_TYPE);
      case CLOUDEVENTS_BINARY -> {
        CloudEvents.Binary binary = CloudEvents.binary(delivery);
        yield new Payload(binary.body(), binary.contentType(), binary.headers());
      }
      case ENVELOPE ->
          new Payload(
              delivery.input(), delivery.json() ? "application/json" : "text/plain; charset=utf-8");
    };
  }

  private Outcome attempt(Delivery delivery, Payload payload) {
    return calls.attempt(
        settings.url(),
        where,
        address -> {
          try {
            return HttpOutcomes.of(send(delivery, payload, address), where, clock.instant());
          } catch (OAuthTokens.TokenRefused e) {
            return tokenOutcome(e);
          }
        });
  }

  /** A token endpoint's refusal: its status decides retry, but it never disables the target. */
  private Outcome tokenOutcome(OAuthTokens.TokenRefused refused) {
    Outcome outcome = HttpOutcomes.of(refused.response, "token endpoint", clock.instant());
    return switch (outcome) {
      case Outcome.Delivered d -> new Outcome.Permanent("PermanentFailure", refused.getMessage());
      case Outcome.Gone g -> new Outcome.Permanent(g.code(), g.message());
      case Outcome.Retry r -> r;
      case Outcome.Permanent p -> p;
    };
  }

  private Http1.Response send(Delivery delivery, Payload payload, InetAddress address)
      throws IOException, OAuthTokens.TokenRefused, AddressPolicy.Forbidden, InterruptedException {
    List<Map.Entry<String, String>> headers = headers(delivery, payload);
    return switch (settings.auth()) {
      case WebhookSettings.Auth.None none -> exchange(delivery, payload, address, headers, null);
      case WebhookSettings.Auth.Static auth ->
          exchange(delivery, payload, address, headers, auth.value());
      case WebhookSettings.Auth.OAuth oauth -> {
        OAuthTokens cache = tokens.orElseThrow();
        String token = cache.token(delivery.deadline());
        Http1.Response response = exchange(delivery, payload, address, headers, "Bearer " + token);
        if (response.status() != 401) {
          yield response;
        }
        cache.invalidate(token); // rejected: fetch a new one and try once more
        String fresh = "Bearer " + cache.token(delivery.deadline());
        yield exchange(delivery, payload, address, headers, fresh);
      }
    };
  }

  private Http1.Response exchange(
      Delivery delivery,
      Payload payload,
      InetAddress address,
      List<Map.Entry<String, String>> headers,
      String authorization)
      throws IOException {
    List<Map.Entry<String, String>> all = headers;
    if (authorization != null) {
      all = new ArrayList<>(headers);
      all.add(Map.entry("Authorization", authorization));
    }
    return calls
        .http()
        .exchange(
            new Http1.Request(settings.method(), settings.url(), address, all, payload.body()),
            delivery.deadline());
  }

  private List<Map.Entry<String, String>> headers(Delivery delivery, Payload payload) {
    long timestamp = clock.instant().getEpochSecond();
    List<Map.Entry<String, String>> headers = new ArrayList<>(settings.headers());
    headers.add(Map.entry("Content-Type", payload.contentType()));
    headers.addAll(payload.headers());
    headers.add(Map.entry("User-Agent", "Herald"));
    headers.add(Map.entry("webhook-id", delivery.deliveryKey()));
    headers.add(Map.entry("webhook-timestamp", Long.toString(timestamp)));
    if (!settings.secrets().isEmpty()) {
      headers.add(
          Map.entry(
              "webhook-signature",
              Signatures.sign(
                  settings.secrets(), delivery.deliveryKey(), timestamp, payload.body())));
    }
    headers.add(Map.entry("herald-event-id", delivery.eventId()));
    headers.add(Map.entry("herald-rule", delivery.rule()));
    headers.add(Map.entry("herald-attempt", Integer.toString(delivery.attempt())));
    delivery.replayName().ifPresent(r -> headers.add(Map.entry("herald-replay-name", r)));
    delivery.traceparent().ifPresent(t -> headers.add(Map.entry("traceparent", t)));
    return headers;
  }

  @Override
  public void close() {
    calls.close();
    tokenCalls.ifPresent(HttpCalls::close);
  }

  @Override
  public String toString() {
    return "webhook target " + name + " (" + where + ")";
  }
}
