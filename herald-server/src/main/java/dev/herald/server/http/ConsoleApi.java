package dev.herald.server.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web console at {@code /console/}: static files from the jar ({@code console/} on the class
 * path; uPlot from its webjar under {@code /console/vendor/uplot/}). The files hold no data and
 * need no key; every call the console makes to the API carries the key the user gave it. Stateless
 * but for a cache of the files read; thread-safe.
 */
public final class ConsoleApi {
  private static final String ROOT = "console/";
  private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
  private static final Pattern FILE =
      Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*(/[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*)*");
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png",
          "txt", "text/plain; charset=utf-8");

  private final Map<String, Optional<byte[]>> cache = new ConcurrentHashMap<>();

  public void register(HttpRouting.Builder routing) {
    routing.get("/console", (req, res) -> res.status(301).header("Location", "/console/").send());
    routing.get("/console/", (req, res) -> serve(res, ROOT + "index.html", "html"));
    routing.get("/console/{+path}", this::file);
  }

  private void file(ServerRequest req, ServerResponse res) {
    String path = req.path().pathParameters().get("path");
    if (!FILE.matcher(path).matches() || path.lastIndexOf('.') < 0) {
      throw notFound(path);
    }
    String extension = path.substring(path.lastIndexOf('.') + 1);
    String resource =
        path.startsWith("vendor/uplot/")
            ? UPLOT + path.substring("vendor/uplot/".length())
            : ROOT + path;
    serve(res, resource, extension);
  }

  private void serve(ServerResponse res, String resource, String extension) {
    String type = TYPES.get(extension);
    byte[] bytes =
        cache.computeIfAbsent(resource, ConsoleApi::read).orElseThrow(() -> notFound(resource));
    if (type == null) {
      throw notFound(resource);
    }
    res.header(HeaderNames.CONTENT_TYPE, type);
    res.header(HeaderNames.CACHE_CONTROL, "no-cache");
    res.header("X-Content-Type-Options", "nosniff");
    res.header("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'");
    res.header("X-Frame-Options", "DENY");
    res.status(200).send(bytes);
  }

  private static Optional<byte[]> read(String resource) {
    try (InputStream in = ConsoleApi.class.getClassLoader().getResourceAsStream(resource)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ApiError notFound(String path) {
    return ApiError.notFound("NotFound", "the console has no file " + path);
  }
}
