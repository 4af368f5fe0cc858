package dev.herald.server.trace;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * A real OTLP/HTTP receiver on 127.0.0.1: accepts {@code POST /v1/traces} in the protobuf encoding
 * (what the SDK's OTLP HTTP exporter sends), decodes it with opentelemetry-proto and keeps the
 * spans. Thread-safe: spans are appended by the server's threads and read by the test.
 */
public final class OtlpReceiver implements AutoCloseable {
  /** One received span, flattened: ids in lowercase hex, attributes as strings. */
  public record ReceivedSpan(
      String service,
      String name,
      String traceId,
      String spanId,
      String parentSpanId,
      int kind,
      int statusCode,
      Map<String, String> attributes) {
    public String attribute(String key) {
      return attributes.get(key);
    }
  }

  private final HttpServer server;
  public final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
  public final List<String> contentTypes = new CopyOnWriteArrayList<>();

  public OtlpReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/v1/traces", this::handle);
    server.start();
  }

  /** What {@code OTEL_EXPORTER_OTLP_ENDPOINT} is set to (the exporter appends /v1/traces). */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public Optional<ReceivedSpan> named(String name, String traceId) {
    return spans.stream()
        .filter(s -> s.name().equals(name) && s.traceId().equals(traceId))
        .findFirst();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
      ExportTraceServiceRequest request =
          ExportTraceServiceRequest.parseFrom(exchange.getRequestBody().readAllBytes());
      for (ResourceSpans resource : request.getResourceSpansList()) {
        String service = attribute(resource.getResource(), "service.name");
        for (ScopeSpans scope : resource.getScopeSpansList()) {
          scope.getSpansList().forEach(span -> spans.add(flatten(service, span)));
        }
      }
      byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
      exchange.getResponseBody().write(answer);
    }
  }

  private static ReceivedSpan flatten(String service, io.opentelemetry.proto.trace.v1.Span span) {
    HexFormat hex = HexFormat.of();
    return new ReceivedSpan(
        service,
        span.getName(),
        hex.formatHex(span.getTraceId().toByteArray()),
        hex.formatHex(span.getSpanId().toByteArray()),
        hex.formatHex(span.getParentSpanId().toByteArray()),
        span.getKindValue(),
        span.getStatus().getCodeValue(),
        span.getAttributesList().stream()
            .collect(Collectors.toMap(KeyValue::getKey, kv -> text(kv.getValue()))));
  }

  private static String attribute(Resource resource, String key) {
    return resource.getAttributesList().stream()
        .filter(kv -> kv.getKey().equals(key))
        .map(kv -> text(kv.getValue()))
        .findFirst()
        .orElse("");
  }

  private static String text(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case INT_VALUE -> Long.toString(value.getIntValue());
      case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
      case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
      case ARRAY_VALUE ->
          value.getArrayValue().getValuesList().stream()
              .map(OtlpReceiver::text)
              .collect(Collectors.joining(","));
      default -> value.toString();
    };
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
