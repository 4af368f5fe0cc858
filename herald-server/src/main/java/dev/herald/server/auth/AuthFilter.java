package dev.herald.server.auth;

import dev.herald.core.auth.Scope;
import dev.herald.server.http.ApiError;
import dev.herald.server.http.Http;
import dev.herald.server.limits.RateLimits;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Checks every request before it is routed: authenticates its key ({@link KeyRing}), decides what
 * it needs ({@link Access}), answers 401 or 403 in the API's error shape, and otherwise hands the
 * {@link Principal} to the handlers through the request context, with the key id in the MDC ({@code
 * keyId}) while the request runs. Every admin change (a request needing {@code admin}) is logged
 * with the key id that made it, never the secret. Stateless; thread-safe.
 */
public final class AuthFilter implements Filter {
  private static final Logger LOG = LoggerFactory.getLogger(AuthFilter.class);

  private final KeyRing keys;
  private final boolean metricsPublic;
  private final RateLimits limits;

  /**
   * @param limits charged one request per authenticated request, except publishing, which {@code
   *     EventsApi} charges per entry
   */
  public AuthFilter(KeyRing keys, boolean metricsPublic, RateLimits limits) {
    this.keys = keys;
    this.metricsPublic = metricsPublic;
    this.limits = limits;
  }

  /** Adds this filter to the routing (pass as the first API to the HTTP server). */
  public void register(HttpRouting.Builder routing) {
    routing.addFilter(this);
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    String method = req.prologue().method().text();
    String path = req.path().path();
    Access access = Access.of(method, path, metricsPublic);
    Optional<Principal> decided;
    try {
      decided = decide(access, req.headers().first(HeaderNames.AUTHORIZATION));
    } catch (RateLimited e) {
      res.header(HeaderNames.RETRY_AFTER, Long.toString(e.refusal.retryAfterSeconds()));
      Http.send(res, 429, e.error().toJson());
      return;
    } catch (ApiError e) {
      if (e.status() == 401) {
        res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"herald\"");
      }
      Http.send(res, e.status(), e.toJson());
      return;
    }
    if (decided.isEmpty()) {
      chain.proceed();
      return;
    }
    Principal principal = decided.get();
    boolean admin = access == Access.ADMIN;
    req.context().register(principal);
    principal.keyId().ifPresent(id -> MDC.put("keyId", id));
    try {
      chain.proceed();
      if (admin) {
        LOG.info(
            "admin change {} {} answered {} (key {})",
            method,
            path,
            res.status().code(),
            principal.name());
      }
    } catch (RuntimeException e) {
      if (admin) { // an error no handler answered
        LOG.info(
            "admin change {} {} refused: {} (key {})",
            method,
            path,
            e.getMessage(),
            principal.name());
      }
      throw e;
    } finally {
      MDC.remove("keyId");
    }
  }

  /**
   * Everything the filter decides before a request is routed, without Helidon's types (the
   * benchmark of the auth path calls it directly): what the request needs, who sends it, whether
   * that key may, and whether its rate limit lets it through.
   *
   * @param authorization the {@code Authorization} header, if sent
   * @return the principal; empty when the path is open to everyone
   * @throws ApiError 401 or 403; {@link RateLimited} (a 429) when the key is over its limit
   */
  public Optional<Principal> authorize(String method, String path, Optional<String> authorization) {
    return decide(Access.of(method, path, metricsPublic), authorization);
  }

  private Optional<Principal> decide(Access access, Optional<String> authorization) {
    if (access instanceof Access.Open) {
      return Optional.empty();
    }
    Principal principal = keys.authenticate(authorization);
    check(principal, access);
    if (!(access instanceof Access.AnyPublish)) { // publishing is charged per entry, later
      Optional<RateLimits.Refusal> refusal = limits.admitRequest(principal.keyId());
      if (refusal.isPresent()) {
        throw new RateLimited(refusal.get());
      }
    }
    return Optional.of(principal);
  }

  /** A key over its rate limit: 429 with {@code Retry-After}. */
  public static final class RateLimited extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient RateLimits.Refusal refusal;

    RateLimited(RateLimits.Refusal refusal) {
      super(refusal.message(), null, false, false);
      this.refusal = refusal;
    }

    ApiError error() {
      return new ApiError(429, "TooManyRequests", refusal.message(), refusal.field().orElse(null));
    }
  }

  /** Answers 429 with {@code Retry-After} in the API's error shape. */
  public static void refuse(ServerResponse res, RateLimits.Refusal refusal) {
    res.header(HeaderNames.RETRY_AFTER, Long.toString(refusal.retryAfterSeconds()));
    throw new ApiError(429, "TooManyRequests", refusal.message(), refusal.field().orElse(null));
  }

  private static void check(Principal principal, Access access) {
    switch (access) {
      case Access.Open open -> {}
      case Access.AnyOf anyOf -> {
        for (Scope scope : anyOf.scopes()) {
          if (principal.allows(scope)) {
            return;
          }
        }
        throw Principal.forbidden(anyOf.scopes().getFirst(), null);
      }
      case Access.AnyPublish any -> {
        boolean publishes =
            principal.scopes().stream()
                .anyMatch(s -> s.kind() == Scope.Kind.PUBLISH || s.kind() == Scope.Kind.ADMIN);
        if (!publishes) {
          throw Principal.forbidden(Scope.publish(Scope.ANY), null);
        }
      }
    }
  }
}
