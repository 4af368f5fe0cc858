package dev.herald.server.http;

import dev.herald.core.config.ConfigException;
import io.helidon.common.tls.Tls;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Helidon web server with Herald's routes, its JSON errors for unknown paths and failures, and
 * no shutdown hook of its own (Herald decides the stop order). Every request passes the {@link
 * RequestGuard} first; slow, idle and surplus connections are bounded by {@link HttpSettings}.
 * Thread-safe.
 */
public final class HttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

  private final WebServer server;

  private HttpServer(WebServer server) {
    this.server = server;
  }

  /** Registers an API's routes. */
  @FunctionalInterface
  public interface Routes {
    void register(HttpRouting.Builder routing);
  }

  public static HttpServer start(String host, int port, HttpSettings settings, Routes... apis) {
    return start(host, port, settings, Optional.empty(), apis);
  }

  /** Starts the server, with TLS on its listener when {@code tls} is given. */
  public static HttpServer start(
      String host, int port, HttpSettings settings, Optional<Tls> tls, Routes... apis) {
    HttpRouting.Builder routing = HttpRouting.builder();
    routing.addFilter(new RequestGuard(settings.loopbackOnly()));
    for (Routes api : apis) {
      api.register(routing);
    }
    routing.any(
        (req, res) -> {
          throw new ApiError(
              404,
              "NotFound",
              "no resource at " + req.prologue().method().text() + " " + req.path().path());
        });
    routing.error(
        ApiError.class,
        (req, res, e) -> {
          if (e.closesConnection()) {
            res.header(HeaderNames.CONNECTION, "close");
          }
          Http.send(res, e.status(), e.toJson());
        });
    routing.error(
        ConfigException.class,
        (req, res, e) -> Http.send(res, ConfigErrors.status(e), ConfigErrors.json(e)));
    routing.error(
        Exception.class,
        (req, res, e) -> {
          LOG.error("request {} {} failed", req.prologue().method().text(), req.path().path(), e);
          Http.send(res, 500, new ApiError(500, "InternalError", "internal error: " + e).toJson());
        });
    WebServer server =
        WebServer.builder()
            .host(host)
            .port(port)
            .shutdownHook(false)
            .maxPayloadSize(EventsApi.MAX_REQUEST_BYTES * 2)
            .useNio(false) // the blocking socket stream, which honours the read timeout
            .directHandlers(ProtocolErrors.handlers())
            .connectionOptions(new ReadTimeoutSocketOptions(settings.readTimeout()))
            .idleConnectionTimeout(settings.idleTimeout())
            .idleConnectionPeriod(Duration.ofSeconds(1))
            .maxTcpConnections(settings.maxConnections())
            .routing(routing)
            .update(b -> tls.ifPresent(b::tls))
            .build()
            .start();
    return new HttpServer(server);
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    long started = System.nanoTime();
    server.stop();
    LOG.debug("HTTP stopped in {} ms", Duration.ofNanos(System.nanoTime() - started).toMillis());
  }
}
