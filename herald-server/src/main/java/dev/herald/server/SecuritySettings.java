package dev.herald.server;

import dev.herald.core.auth.KeyToken;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Keys and TLS of {@code herald serve}, each also an environment variable: HERALD_BOOTSTRAP_KEY,
 * HERALD_METRICS_PUBLIC, HERALD_TLS_CERT, HERALD_TLS_KEY.
 *
 * @param bootstrapKey an admin key ({@code <id>.<secret>}) that Herald makes sure exists at start
 * @param metricsPublic whether {@code /metrics} answers without a key
 * @param tlsCert a PEM file with the server's certificate chain; with {@code tlsKey}, HTTPS
 * @param tlsKey a PEM file with the server's private key (PKCS#8)
 */
public record SecuritySettings(
    Optional<KeyToken> bootstrapKey,
    boolean metricsPublic,
    Optional<Path> tlsCert,
    Optional<Path> tlsKey) {

  public static final String BOOTSTRAP_KEY = "HERALD_BOOTSTRAP_KEY";

  public SecuritySettings {
    Objects.requireNonNull(bootstrapKey, "bootstrapKey");
    Objects.requireNonNull(tlsCert, "tlsCert");
    Objects.requireNonNull(tlsKey, "tlsKey");
    if (tlsCert.isPresent() != tlsKey.isPresent()) {
      throw new IllegalArgumentException(
          "TLS needs both a certificate and a key (--tls-cert and --tls-key, or HERALD_TLS_CERT"
              + " and HERALD_TLS_KEY); got only the "
              + (tlsCert.isPresent() ? "certificate" : "key"));
    }
  }

  /** No bootstrap key, {@code /metrics} behind {@code read}, plain HTTP. */
  public static SecuritySettings defaults() {
    return new SecuritySettings(Optional.empty(), false, Optional.empty(), Optional.empty());
  }

  /** Reads the HERALD_* variables of {@code env}. */
  public static SecuritySettings fromEnv(Map<String, String> env) {
    return new SecuritySettings(
        bootstrapKey(env.get(BOOTSTRAP_KEY)),
        Boolean.parseBoolean(env.getOrDefault("HERALD_METRICS_PUBLIC", "false").trim()),
        path(env.get("HERALD_TLS_CERT")),
        path(env.get("HERALD_TLS_KEY")));
  }

  /**
   * Parses a bootstrap key; a malformed one is an error naming the variable (never echoing the
   * value, which may hold a secret).
   */
  public static Optional<KeyToken> bootstrapKey(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(
        KeyToken.parse(text.trim())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        BOOTSTRAP_KEY
                            + " is malformed: expected <id>.<secret>, the id "
                            + KeyToken.describeId().replace("must be", "")
                            + " and the secret "
                            + KeyToken.describeSecret().replace("must be", ""))));
  }

  private static Optional<Path> path(String text) {
    return text == null || text.isBlank() ? Optional.empty() : Optional.of(Path.of(text.trim()));
  }

  public SecuritySettings withBootstrapKey(KeyToken key) {
    return new SecuritySettings(Optional.of(key), metricsPublic, tlsCert, tlsKey);
  }

  public SecuritySettings withTls(Path cert, Path key) {
    return new SecuritySettings(bootstrapKey, metricsPublic, Optional.of(cert), Optional.of(key));
  }

  public SecuritySettings withMetricsPublic(boolean isPublic) {
    return new SecuritySettings(bootstrapKey, isPublic, tlsCert, tlsKey);
  }

  public boolean tls() {
    return tlsCert.isPresent();
  }
}
