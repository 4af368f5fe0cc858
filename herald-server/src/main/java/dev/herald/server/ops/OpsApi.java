package dev.herald.server.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.json.Json;
import dev.herald.server.http.Http;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** {@code /health/live}, {@code /health/ready} and {@code /metrics}. Thread-safe. */
public final class OpsApi {
  private final Readiness readiness;
  private final PrometheusMeterRegistry registry;

  public OpsApi(Readiness readiness, PrometheusMeterRegistry registry) {
    this.readiness = readiness;
    this.registry = registry;
  }

  public void register(HttpRouting.Builder routing) {
    routing.get(
        "/health/live",
        (req, res) -> {
          ObjectNode body = Json.object();
          body.put("status", "UP");
          Http.send(res, 200, body);
        });
    routing.get(
        "/health/ready",
        (req, res) -> {
          var status = readiness.status();
          boolean ready = status.values().stream().allMatch("ok"::equals);
          ObjectNode body = Json.object();
          body.put("status", ready ? "UP" : "DOWN");
          ObjectNode checks = body.putObject("checks");
          status.forEach(checks::put);
          Http.send(res, ready ? 200 : 503, body);
        });
    routing.get(
        "/metrics",
        (req, res) -> {
          res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
          res.send(registry.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        });
  }
}
