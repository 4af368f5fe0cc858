package dev.herald.targets.internal.webhook;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.json.Json;
import dev.herald.targets.internal.http.AddressPolicy;
import dev.herald.targets.internal.http.HeaderRules;
import dev.herald.targets.internal.http.Http1;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * OAuth 2.0 client-credentials tokens for one webhook target: fetched from the token URL on first
 * use, cached until shortly before {@code expires_in}, dropped when the receiver rejects them.
 *
 * <p>Thread-safety: {@code current} is read and written only while holding {@code lock}; one
 * delivery fetches while the others wait (each no longer than its own deadline).
 */
final class OAuthTokens {
  /** Tokens are refreshed this long before they expire. */
  static final Duration EARLY = Duration.ofSeconds(30);

  /** Used when the token response carries no {@code expires_in}. */
  static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);

  private record Token(String value, Instant refreshAt) {}

  /** The token endpoint answered, but not with a token. */
  static final class TokenRefused extends Exception {
    private static final long serialVersionUID = 1L;
    final transient Http1.Response response;

    TokenRefused(String message, Http1.Response response) {
      super(message);
      this.response = response;
    }
  }

  private final WebhookSettings.Auth.OAuth settings;
  private final Http1 http;
  private final AddressPolicy addresses;
  private final InstantSource clock;
  private final ReentrantLock lock = new ReentrantLock();
  private Token current;

  OAuthTokens(
      WebhookSettings.Auth.OAuth settings,
      Http1 http,
      AddressPolicy addresses,
      InstantSource clock) {
    this.settings = settings;
    this.http = http;
    this.addresses = addresses;
    this.clock = clock;
  }

  /** A valid token, from the cache or freshly fetched. */
  String token(Instant deadline)
      throws IOException, TokenRefused, AddressPolicy.Forbidden, InterruptedException {
    long waitMs = Math.max(0, Duration.between(clock.instant(), deadline).toMillis());
    if (!lock.tryLock(waitMs, TimeUnit.MILLISECONDS)) {
      throw new Http1.DeadlineExceeded(null);
    }
    try {
      if (current != null && clock.instant().isBefore(current.refreshAt())) {
        return current.value();
      }
      current = fetch(deadline);
      return current.value();
    } finally {
      lock.unlock();
    }
  }

  /** Forgets {@code rejected} so that the next call fetches a new token. */
  void invalidate(String rejected) {
    lock.lock();
    try {
      if (current != null && current.value().equals(rejected)) {
        current = null;
      }
    } finally {
      lock.unlock();
    }
  }

  private Token fetch(Instant deadline) throws IOException, TokenRefused, AddressPolicy.Forbidden {
    InetAddress address =
        addresses.resolve(
            Http1.bareHost(settings.tokenUrl()), AddressPolicy.port(settings.tokenUrl()));
    StringBuilder form = new StringBuilder("grant_type=client_credentials");
    form.append("&client_id=").append(URLEncoder.encode(settings.clientId(), UTF_8));
    form.append("&client_secret=").append(URLEncoder.encode(settings.clientSecret(), UTF_8));
    settings.scope().ifPresent(s -> form.append("&scope=").append(URLEncoder.encode(s, UTF_8)));
    Http1.Response response =
        http.exchange(
            new Http1.Request(
                "POST",
                settings.tokenUrl(),
                address,
                List.of(
                    Map.entry("Content-Type", "application/x-www-form-urlencoded"),
                    Map.entry("Accept", "application/json")),
                form.toString().getBytes(UTF_8)),
            deadline);
    if (response.status() / 100 != 2) {
      throw new TokenRefused("token endpoint answered " + response.status(), response);
    }
    return parse(response);
  }

  private Token parse(Http1.Response response) throws TokenRefused {
    JsonNode body;
    try {
      body = Json.MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new TokenRefused("token endpoint answered with invalid JSON", response);
    }
    JsonNode token = body == null ? null : body.get("access_token");
    if (token == null || !token.isTextual() || !HeaderRules.isValue(token.asText())) {
      throw new TokenRefused("token endpoint answered without an access_token", response);
    }
    Duration lifetime =
        Optional.ofNullable(body.get("expires_in"))
            .filter(JsonNode::canConvertToLong)
            .map(v -> Duration.ofSeconds(v.asLong()))
            .orElse(DEFAULT_LIFETIME);
    Duration early = lifetime.compareTo(EARLY.multipliedBy(2)) < 0 ? lifetime.dividedBy(2) : EARLY;
    return new Token(token.asText(), clock.instant().plus(lifetime).minus(early));
  }
}
