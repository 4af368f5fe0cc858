package dev.herald.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Requests to a Herald with an API key ({@code Authorization: Bearer}), or none when null. */
record KeyClient(Herald herald, String key) {

  record Answer(int status, JsonNode body, HttpResponse<String> raw) {
    String code() {
      return body == null ? null : body.at("/error/code").asText(null);
    }

    String message() {
      return body == null ? null : body.at("/error/message").asText(null);
    }
  }

  KeyClient as(String otherKey) {
    return new KeyClient(herald, otherKey);
  }

  Answer get(String path) {
    return send(request(path).GET());
  }

  Answer delete(String path) {
    return send(request(path).DELETE());
  }

  Answer post(String path, String json) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json.replace('\'', '"'))));
  }

  Answer put(String path, String json) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json.replace('\'', '"'))));
  }

  Answer raw(HttpRequest.Builder request) {
    return send(request);
  }

  HttpRequest.Builder request(String path) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + herald.port() + path));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return request;
  }

  private static Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          TestHerald.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body = null;
      if (response.headers().firstValue("Content-Type").orElse("").startsWith("application/json")
          && !response.body().isEmpty()) {
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
