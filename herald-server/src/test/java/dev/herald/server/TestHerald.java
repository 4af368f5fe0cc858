package dev.herald.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One embedded Herald per test JVM (a real broker and a SQLite store in a temp dir), started on
 * first use and stopped at JVM exit, plus a tiny HTTP client for exact status codes and bodies.
 */
final class TestHerald {
  private static Herald shared;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  private TestHerald() {}

  static synchronized Herald shared() {
    if (shared == null) {
      shared = Herald.start(HeraldConfig.embedded(tempDir()).withPort(0));
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
    }
    return shared;
  }

  static Path tempDir() {
    try {
      return Files.createTempDirectory("herald-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  record Answer(int status, JsonNode body, HttpResponse<byte[]> raw) {
    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  static Answer post(Herald herald, String path, String contentType, byte[] body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(herald, path))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return send(request.build());
  }

  static Answer postJson(Herald herald, String json) {
    return post(
        herald,
        "/v1/events",
        "application/json",
        json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
  }

  static Answer put(Herald herald, String path, String json, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(herald, path))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json.replace('\'', '"')));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request.build());
  }

  static Answer delete(Herald herald, String path, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(herald, path)).DELETE();
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request.build());
  }

  static Answer postJson(Herald herald, String path, String json) {
    return post(
        herald, path, "application/json", json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
  }

  static Answer get(Herald herald, String path) {
    return send(HttpRequest.newBuilder(uri(herald, path)).GET().build());
  }

  private static URI uri(Herald herald, String path) {
    return URI.create("http://127.0.0.1:" + herald.port() + path);
  }

  static Answer send(HttpRequest request) {
    try {
      HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
      JsonNode body = null;
      String type = response.headers().firstValue("Content-Type").orElse("");
      if (type.startsWith("application/json")) {
        body = Json.MAPPER.readTree(response.body());
      }
      return new Answer(response.statusCode(), body, response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
