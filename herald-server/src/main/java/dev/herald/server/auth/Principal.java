package dev.herald.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.auth.Scope;
import dev.herald.core.event.EntryValidator;
import dev.herald.server.http.ApiError;
import io.helidon.webserver.http.ServerRequest;
import java.util.List;
import java.util.Optional;

/**
 * Who makes a request: the API key that authenticated it and its scopes, or nobody while auth is
 * off (no admin key exists; everything is allowed). The {@link AuthFilter} puts it in the request's
 * context. Immutable.
 *
 * @param keyId the key's id; empty while auth is off
 * @param scopes the key's scopes; unused while auth is off
 */
public record Principal(Optional<String> keyId, List<Scope> scopes) {
  /** Auth is off: every request is allowed and made by nobody in particular. */
  public static final Principal AUTH_OFF = new Principal(Optional.empty(), List.of(Scope.ADMIN));

  public Principal {
    scopes = List.copyOf(scopes);
  }

  /** The principal of a request that passed the {@link AuthFilter}. */
  public static Principal of(ServerRequest req) {
    return req.context().get(Principal.class).orElse(AUTH_OFF);
  }

  public boolean allows(Scope needed) {
    for (Scope scope : scopes) {
      if (scope.covers(needed)) {
        return true;
      }
    }
    return false;
  }

  /** What {@code changedBy} records for a request while auth is off. */
  public static final String ANONYMOUS = "anonymous";

  /** What {@code changedBy} records for a change Herald makes itself (a target disabled by 410). */
  public static final String HERALD = "herald";

  /** What {@code changedBy} records for the bootstrap key (HERALD_BOOTSTRAP_KEY). */
  public static final String BOOTSTRAP = "bootstrap";

  /**
   * How logs and {@code changedBy} name the principal: the key id, or {@value #ANONYMOUS} while
   * auth is off.
   */
  public String name() {
    return keyId.orElse(ANONYMOUS);
  }

  /**
   * Refuses with 403 unless this key may publish to the bus of every entry (an entry without a bus
   * publishes to the default bus; an entry whose bus is not a string is left to validation).
   */
  public void requirePublish(List<JsonNode> entries) {
    for (int i = 0; i < entries.size(); i++) {
      JsonNode bus = entries.get(i).path("bus");
      String name = bus.isMissingNode() ? EntryValidator.DEFAULT_BUS : bus.asText();
      if ((bus.isMissingNode() || bus.isTextual()) && !allows(Scope.publish(name))) {
        throw forbidden(Scope.publish(name), "entries[" + i + "].bus");
      }
    }
  }

  static ApiError forbidden(Scope needed, String field) {
    return new ApiError(
        403, "Forbidden", "this API key lacks the scope '" + needed + "' needed here", field);
  }
}
