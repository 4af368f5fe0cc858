package dev.herald.server.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Checks every request before it is routed: HTTP/1.1 only (505 and the connection closed for
 * HTTP/1.0), the {@code Host} guard while bound to loopback (DNS rebinding), and what keeps a
 * cross-site page from acting: no CORS preflight succeeds, a state-changing request with a
 * CORS-simple content type is 415, and one carrying a foreign {@code Origin} is 403; then the query
 * parameters ({@link QueryParameters}). Stateless; thread-safe.
 */
final class RequestGuard implements Filter {
  private static final HeaderName ORIGIN = HeaderNames.create("Origin");
  private static final Set<Method> SAFE = Set.of(Method.GET, Method.HEAD, Method.OPTIONS);

  /** The content types a browser sends cross-site without asking first (no preflight). */
  private static final Set<String> CORS_SIMPLE_TYPES =
      Set.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data");

  private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]");

  private final boolean loopbackOnly;

  RequestGuard(boolean loopbackOnly) {
    this.loopbackOnly = loopbackOnly;
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    if (!"1.1".equals(req.prologue().protocolVersion())) {
      throw new ApiError(
              505,
              "HttpVersionNotSupported",
              "HTTP/" + req.prologue().protocolVersion() + " is not supported; use HTTP/1.1")
          .closingConnection();
    }
    Optional<String> host = req.headers().first(HeaderNames.HOST);
    if (loopbackOnly && !host.map(RequestGuard::isLoopbackHost).orElse(false)) {
      throw new ApiError(
          403,
          "ForbiddenHost",
          "Herald is bound to loopback and serves only requests for localhost, 127.0.0.1 or"
              + " [::1]; Host was '"
              + host.orElse("")
              + "'",
          "Host");
    }
    Method method = req.prologue().method();
    Optional<String> origin = req.headers().first(ORIGIN);
    if (method == Method.OPTIONS && origin.isPresent()) {
      throw new ApiError(
          403,
          "CrossOriginForbidden",
          "cross-origin requests are not allowed (origin '" + origin.get() + "')",
          "Origin");
    }
    if (!SAFE.contains(method)) {
      String type =
          req.headers()
              .contentType()
              .map(t -> t.mediaType().text().toLowerCase(Locale.ROOT))
              .orElse("");
      if (CORS_SIMPLE_TYPES.contains(type)) {
        throw new ApiError(
            415,
            "UnsupportedMediaType",
            "Content-Type '"
                + type
                + "' is not accepted for "
                + method.text()
                + " (a browser sends it cross-site); use application/json",
            "Content-Type");
      }
      if (origin.isPresent() && !sameOrigin(origin.get(), host.orElse(""))) {
        throw new ApiError(
            403,
            "CrossOriginForbidden",
            "a "
                + method.text()
                + " from origin '"
                + origin.get()
                + "' is refused: cross-origin requests may not change anything",
            "Origin");
      }
    }
    QueryParameters.check(
        method, req.path().path(), req.query().names(), name -> req.query().all(name).size());
    chain.proceed();
  }

  /** {@code localhost}, {@code 127.0.0.1} or {@code [::1]}, with or without a port. */
  static boolean isLoopbackHost(String host) {
    String value = host.strip().toLowerCase(Locale.ROOT);
    int colon = value.lastIndexOf(':');
    if (colon > value.lastIndexOf(']')) {
      String port = value.substring(colon + 1);
      if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
        return false;
      }
      value = value.substring(0, colon);
    }
    return LOOPBACK_NAMES.contains(value);
  }

  /** Whether {@code origin} ({@code scheme://host[:port]}) names the host the request went to. */
  private static boolean sameOrigin(String origin, String host) {
    try {
      URI uri = new URI(origin.strip());
      if (uri.getRawAuthority() == null || uri.getScheme() == null) {
        return false; // "null" (sandboxed frames, file: pages) or garbage
      }
      String authority = uri.getRawAuthority().toLowerCase(Locale.ROOT);
      String expected = host.strip().toLowerCase(Locale.ROOT);
      String defaultPort = uri.getScheme().equalsIgnoreCase("https") ? ":443" : ":80";
      return authority.equals(expected)
          || (authority + defaultPort).equals(expected)
          || authority.equals(expected + defaultPort);
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }
}
