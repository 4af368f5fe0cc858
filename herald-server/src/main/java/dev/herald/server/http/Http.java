package dev.herald.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.json.Json;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;

/** Helpers shared by the JSON endpoints: content type, bounded body reading, JSON answers. */
public final class Http {
  private Http() {}

  /** Rejects a request whose content type is not JSON with 415. */
  public static void requireJson(ServerRequest req) {
    String type =
        req.headers()
            .contentType()
            .map(t -> t.mediaType().text())
            .orElse("")
            .toLowerCase(Locale.ROOT);
    if (!type.equals("application/json") && !type.endsWith("+json")) {
      throw new ApiError(
          415,
          "UnsupportedMediaType",
          "Content-Type must be application/json, got '" + (type.isEmpty() ? "none" : type) + "'",
          "Content-Type");
    }
  }

  /** Reads the body, or answers 413 when it is larger than {@code limit} bytes. */
  public static byte[] readBody(ServerRequest req, long limit) {
    String tooLarge = "request body is larger than the limit of " + limit + " bytes";
    long declared = req.headers().contentLength().orElse(-1L);
    if (declared > limit) {
      throw new ApiError(413, "RequestTooLarge", tooLarge);
    }
    try (InputStream in = req.content().inputStream()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
      // small bodies (most calls) get a buffer of their size and one byte to see the end
      byte[] buffer = new byte[declared >= 0 ? (int) Math.min(declared + 1, 64 * 1024) : 8192];
      long total = 0;
      for (int n; (n = in.read(buffer)) > 0; ) {
        total += n;
        if (total > limit) {
          throw new ApiError(413, "RequestTooLarge", tooLarge);
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException | IllegalStateException e) {
      // Helidon's chunk decoder: a chunk size that is not hexadecimal, a missing CRLF
      throw malformedBody(e);
    }
  }

  private static ApiError malformedBody(RuntimeException e) {
    return new ApiError(
            400,
            "MalformedBody",
            "the request body is not valid HTTP/1.1 framing: " + e.getMessage(),
            "Transfer-Encoding")
        .closingConnection();
  }

  /** Parses a JSON body, or answers 400 InvalidJson saying where it is malformed. */
  public static JsonNode parse(byte[] body) {
    if (body.length == 0) {
      throw ApiError.invalidJson("request body is empty; expected a JSON object");
    }
    try {
      return Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      var where = e.getLocation();
      throw ApiError.invalidJson(
          "malformed JSON"
              + (where == null
                  ? ""
                  : " at line " + where.getLineNr() + ", column " + where.getColumnNr())
              + ": "
              + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void send(ServerResponse res, int status, Object body) {
    try {
      byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
      res.status(Status.create(status));
      res.header(HeaderNames.CONTENT_TYPE, "application/json");
      res.send(bytes);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
