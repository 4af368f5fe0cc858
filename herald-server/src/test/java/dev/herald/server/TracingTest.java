package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.trace.Tracing;
import dev.herald.server.trace.OtelTracing;
import dev.herald.server.trace.OtlpReceiver;
import dev.herald.server.trace.OtlpReceiver.ReceivedSpan;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Tracing end to end: a Herald with {@code OTEL_EXPORTER_OTLP_ENDPOINT} set exports its spans over
 * OTLP/HTTP to a real receiver in the test; without it no exporter runs and the publisher's trace
 * context still travels to the webhook as before.
 */
@TestMethodOrder(
    MethodOrderer.OrderAnnotation.class) // the one without tracing first: no SDK thread yet
class TracingTest {
  private static final int SPAN_KIND_SERVER = 2;
  private static final int SPAN_KIND_CLIENT = 3;
  private static final int SPAN_KIND_CONSUMER = 5;
  private static final int STATUS_ERROR = 2;
  private final String id = UUID.randomUUID().toString().substring(0, 8);

  @Test
  void
      aPublishWithATraceparentYieldsIngestRoutingAndAttemptSpansInItsTraceAndTheWebhookContinuesIt()
          throws Exception {
    try (OtlpReceiver otlp = new OtlpReceiver();
        Receiver webhook = new Receiver(() -> 204);
        Herald herald =
            Herald.start(
                HeraldConfig.embedded(TestHerald.tempDir()).withPort(0),
                Map.of(
                    "OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint(),
                    "OTEL_SERVICE_NAME", "herald-under-test",
                    "OTEL_BSP_SCHEDULE_DELAY", "50"))) {
      assertThat(herald.tracing()).isInstanceOf(OtelTracing.class);
      String name = "traced-" + id;
      webhookTargetAndRule(herald, name, webhook.url());
      String traceId = hex(16);
      String publisherSpan = hex(8);

      String eventId = publish(herald, name, "00-" + traceId + "-" + publisherSpan + "-01");

      await().atMost(Duration.ofSeconds(60)).until(() -> webhook.calls.size() == 1);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> otlp.named("herald.deliver", traceId).isPresent());
      ReceivedSpan ingest = otlp.named("herald.ingest", traceId).orElseThrow();
      ReceivedSpan route = otlp.named("herald.route", traceId).orElseThrow();
      ReceivedSpan attempt = otlp.named("herald.deliver", traceId).orElseThrow();

      assertThat(ingest.service()).isEqualTo("herald-under-test");
      assertThat(ingest.kind()).isEqualTo(SPAN_KIND_SERVER);
      assertThat(ingest.parentSpanId()).isEqualTo(publisherSpan);
      assertThat(ingest.attribute("herald.event_ids")).isEqualTo(eventId);
      assertThat(ingest.attribute("herald.entries")).isEqualTo("1");

      assertThat(route.kind()).isEqualTo(SPAN_KIND_CONSUMER);
      assertThat(route.parentSpanId()).isEqualTo(ingest.spanId());
      assertThat(route.attribute("herald.event_id")).isEqualTo(eventId);
      assertThat(route.attribute("herald.bus")).isEqualTo("default");
      assertThat(route.attribute("herald.rules")).isEqualTo(name);
      assertThat(route.attribute("herald.targets")).isEqualTo(name);

      assertThat(attempt.kind()).isEqualTo(SPAN_KIND_CLIENT);
      assertThat(attempt.parentSpanId()).isEqualTo(route.spanId());
      assertThat(attempt.attribute("herald.target")).isEqualTo(name);
      assertThat(attempt.attribute("herald.rule")).isEqualTo(name);
      assertThat(attempt.attribute("herald.event_id")).isEqualTo(eventId);
      assertThat(attempt.attribute("herald.attempt")).isEqualTo("1");
      assertThat(attempt.attribute("herald.outcome")).isEqualTo("delivered");
      assertThat(attempt.attribute("herald.delivery_key"))
          .isEqualTo(webhook.calls.getFirst().header("webhook-id"));

      // the receiver continues the trace as a child of the attempt
      assertThat(webhook.calls.getFirst().header("traceparent"))
          .isEqualTo("00-" + traceId + "-" + attempt.spanId() + "-01");
      assertThat(otlp.contentTypes).allMatch(t -> t.startsWith("application/x-protobuf"));
    }
  }

  @Test
  void aFailedAttemptIsAnErrorSpanWithItsCodeAndEachRetryIsASpanOfTheSameTrace() throws Exception {
    var calls = new java.util.concurrent.atomic.AtomicInteger();
    try (OtlpReceiver otlp = new OtlpReceiver();
        Receiver webhook = new Receiver(() -> calls.incrementAndGet() == 1 ? 503 : 200);
        Herald herald =
            Herald.start(
                HeraldConfig.embedded(TestHerald.tempDir()).withPort(0),
                Map.of(
                    "OTEL_EXPORTER_OTLP_ENDPOINT",
                    otlp.endpoint(),
                    "OTEL_BSP_SCHEDULE_DELAY",
                    "50"))) {
      String name = "retried-" + id;
      webhookTargetAndRule(herald, name, webhook.url());
      String traceId = hex(16);

      publish(herald, name, "00-" + traceId + "-" + hex(8) + "-01");

      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  otlp.spans.stream()
                          .filter(s -> s.traceId().equals(traceId))
                          .filter(s -> s.name().equals("herald.deliver"))
                          .count()
                      == 2);
      var attempts =
          otlp.spans.stream()
              .filter(s -> s.traceId().equals(traceId) && s.name().equals("herald.deliver"))
              .sorted(java.util.Comparator.comparing(s -> s.attribute("herald.attempt")))
              .toList();
      assertThat(attempts.get(0).attribute("herald.outcome")).isEqualTo("retry");
      assertThat(attempts.get(0).attribute("herald.error.code")).isEqualTo("HttpStatus503");
      assertThat(attempts.get(0).statusCode()).isEqualTo(STATUS_ERROR);
      assertThat(attempts.get(1).attribute("herald.attempt")).isEqualTo("2");
      assertThat(attempts.get(1).attribute("herald.outcome")).isEqualTo("delivered");
      ReceivedSpan route = otlp.named("herald.route", traceId).orElseThrow();
      assertThat(attempts).allMatch(a -> a.parentSpanId().equals(route.spanId()));
      assertThat(otlp.named("herald.ingest", traceId).orElseThrow().service()).isEqualTo("herald");
    }
  }

  @Test
  @Order(1)
  void withTheEndpointUnsetNoExporterRunsAndTheTraceparentStillReachesTheWebhook() {
    Herald herald = TestHerald.shared(); // started without any OTEL_* variable
    assertThat(herald.tracing()).isSameAs(Tracing.OFF);
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().startsWith("BatchSpanProcessor"));
    try (Receiver webhook = new Receiver(() -> 204)) {
      String name = "untraced-" + id;
      webhookTargetAndRule(herald, name, webhook.url());
      String traceId = hex(16);
      publish(herald, name, "00-" + traceId + "-" + hex(8) + "-01");
      await().atMost(Duration.ofSeconds(60)).until(() -> webhook.calls.size() == 1);
      assertThat(webhook.calls.getFirst().header("traceparent"))
          .startsWith("00-" + traceId + "-")
          .endsWith("-01");
    }
  }

  @Test
  void tracingIsOffWithoutAnEndpointOrWhenDisabled() {
    assertThat(OtelTracing.fromEnv(Map.of())).isSameAs(Tracing.OFF);
    assertThat(OtelTracing.fromEnv(Map.of("OTEL_SERVICE_NAME", "x"))).isSameAs(Tracing.OFF);
    assertThat(
            OtelTracing.fromEnv(
                Map.of(
                    "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318",
                    "OTEL_SDK_DISABLED", "true")))
        .isSameAs(Tracing.OFF);
    assertThat(
            OtelTracing.fromEnv(
                Map.of(
                    "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318",
                    "OTEL_TRACES_EXPORTER", "none")))
        .isSameAs(Tracing.OFF);
  }

  private static void webhookTargetAndRule(Herald herald, String name, String url) {
    var target =
        TestHerald.put(
            herald,
            "/v1/targets/" + name,
            "{'type':'webhook','webhook':{'url':'"
                + url
                + "'},'retry':{'maxAttempts':3,'maxEventAgeSeconds':600,"
                + "'backoff':{'initialMs':50,'multiplier':2.0,'maxMs':200}},"
                + "'circuit':{'enabled':false}}");
    assertThat(target.status()).as(String.valueOf(target.body())).isEqualTo(200);
    var rule =
        TestHerald.put(
            herald,
            "/v1/buses/default/rules/" + name,
            "{'pattern':{'source':['" + name + "']},'targets':[{'target':'" + name + "'}]}");
    assertThat(rule.status()).as(String.valueOf(rule.body())).isEqualTo(200);
  }

  private static String publish(Herald herald, String source, String traceparent) {
    var answer =
        TestHerald.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + herald.port() + "/v1/events"))
                .header("Content-Type", "application/json")
                .header("traceparent", traceparent)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"entries\":[{\"source\":\""
                            + source
                            + "\",\"detailType\":\"T\",\"detail\":{\"n\":1}}]}"))
                .build());
    assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(200);
    return answer.body().at("/entries/0/eventId").asText();
  }

  private static String hex(int bytes) {
    byte[] value = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(value);
    value[0] |= 1; // never all zeros
    return HexFormat.of().formatHex(value);
  }
}
