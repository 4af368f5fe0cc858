package dev.herald.client;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds a {@link HeraldClient}: {@code HeraldClient.builder().endpoint(uri).key(k).timeout(d)
 * .build()}. Only the endpoint is required. Not thread-safe; the client it builds is.
 */
public final class HeraldClientBuilder {
  private URI endpoint;
  private Optional<String> key = Optional.empty();
  private Duration timeout = HeraldClient.DEFAULT_TIMEOUT;
  private Duration connectTimeout = HeraldClient.DEFAULT_CONNECT_TIMEOUT;

  HeraldClientBuilder() {}

  /** Herald's base URL, e.g. {@code http://127.0.0.1:8080}. */
  public HeraldClientBuilder endpoint(URI uri) {
    this.endpoint = Objects.requireNonNull(uri, "endpoint");
    return this;
  }

  /** As {@link #endpoint(URI)}. */
  public HeraldClientBuilder endpoint(String uri) {
    return endpoint(URI.create(uri));
  }

  /**
   * The API key {@code <id>.<secret>} sent as {@code Authorization: Bearer}; null or blank: none.
   */
  public HeraldClientBuilder key(String apiKey) {
    this.key = Optional.ofNullable(apiKey).map(String::trim).filter(t -> !t.isEmpty());
    return this;
  }

  /**
   * How long one request may take, answer included (default 30 s). A queue receive waits up to its
   * {@code waitSeconds} for a message, so keep this longer than the waits you ask for.
   */
  public HeraldClientBuilder timeout(Duration requestTimeout) {
    this.timeout = positive(requestTimeout, "timeout");
    return this;
  }

  /** How long opening a connection may take (default 5 s). */
  public HeraldClientBuilder connectTimeout(Duration timeout) {
    this.connectTimeout = positive(timeout, "connectTimeout");
    return this;
  }

  /**
   * The client.
   *
   * @throws IllegalStateException when no endpoint was given
   */
  public HeraldClient build() {
    if (endpoint == null) {
      throw new IllegalStateException("endpoint is required: HeraldClient.builder().endpoint(uri)");
    }
    String scheme = endpoint.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException(
          "endpoint must be an http or https URL, got '" + endpoint + "'");
    }
    return HeraldClient.create(endpoint, timeout, connectTimeout, key);
  }

  private static Duration positive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
    return value;
  }
}
