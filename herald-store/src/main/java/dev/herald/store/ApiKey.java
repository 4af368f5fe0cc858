package dev.herald.store;

import dev.herald.core.auth.KeyToken;
import dev.herald.core.auth.Scope;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An API key as stored (see {@link ApiKeyStore}).
 *
 * @param id the public part of the key
 * @param name what the key is for, as its owner named it
 * @param scopes what it may do, in the order given
 * @param secret the secret in clear (stored sealed); never show or log it
 * @param createdAt when the key was first stored
 * @param updatedAt when it last changed (an import over it)
 * @param lastUsedAt when it last authenticated a request, at most a minute or so behind
 * @param changedBy the id of the key that created or last changed it; empty for the bootstrap key
 *     and for changes made while auth was off
 */
public record ApiKey(
    String id,
    String name,
    List<Scope> scopes,
    String secret,
    Instant createdAt,
    Instant updatedAt,
    Optional<Instant> lastUsedAt,
    Optional<String> changedBy) {

  public ApiKey {
    Objects.requireNonNull(name, "name");
    scopes = List.copyOf(scopes);
    new KeyToken(id, secret); // validates both
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(lastUsedAt, "lastUsedAt");
    Objects.requireNonNull(changedBy, "changedBy");
  }

  public boolean isAdmin() {
    return scopes.contains(Scope.ADMIN);
  }

  /** Never the secret. */
  @Override
  public String toString() {
    return "ApiKey[" + id + ", " + name + ", " + scopes + "]";
  }
}
