package dev.herald.server.trace;

import dev.herald.core.trace.Span;
import dev.herald.core.trace.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.resources.Resource;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Tracing} on the OpenTelemetry SDK, exporting spans over OTLP. Built by {@link #fromEnv}
 * only when an OTLP endpoint is configured ({@code OTEL_EXPORTER_OTLP_ENDPOINT} or {@code
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}); every other {@code OTEL_*} setting the SDK's
 * autoconfiguration knows is honoured (service name, sampler, batch processor, headers, timeout).
 * Herald's defaults where the variable is unset: sampler {@code parentbased_traceidratio} at
 * {@value #DEFAULT_RATIO}, protocol {@code http/protobuf}, service name {@code herald}; only traces
 * are exported (metrics stay on {@code /metrics}, logs on standard output).
 *
 * <p>With a parent-based sampler, a span whose parent is a valid unsampled traceparent is not built
 * at all: {@link #start} answers {@link Span#NONE} and the parent's context travels on unchanged,
 * so the 99% of unsampled events cost a parse and no SDK object.
 *
 * <p>Thread-safe: the SDK's tracer is.
 */
public final class OtelTracing implements Tracing, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OtelTracing.class);
  static final String DEFAULT_RATIO = "0.01";
  static final String DEFAULT_SERVICE = "herald";
  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  private static final AttributeKey<String> CODE = AttributeKey.stringKey("herald.error.code");

  private final OpenTelemetrySdk sdk;
  private final Tracer tracer;
  private final boolean parentBased;

  private OtelTracing(OpenTelemetrySdk sdk, boolean parentBased) {
    this.sdk = sdk;
    this.tracer = sdk.getTracer("dev.herald");
    this.parentBased = parentBased;
  }

  /**
   * The tracing {@code env} asks for: {@link Tracing#OFF} unless an OTLP endpoint is set (and
   * neither {@code OTEL_SDK_DISABLED=true} nor {@code OTEL_TRACES_EXPORTER=none}).
   *
   * @throws IllegalArgumentException naming the variable when an {@code OTEL_*} setting is invalid
   */
  public static Tracing fromEnv(Map<String, String> env) {
    if (!enabled(env)) {
      return Tracing.OFF;
    }
    Map<String, String> defaults = new HashMap<>();
    defaults.put("otel.traces.sampler", "parentbased_traceidratio");
    defaults.put("otel.traces.sampler.arg", DEFAULT_RATIO);
    defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
    defaults.put("otel.traces.exporter", "otlp");
    Map<String, String> settings = new HashMap<>();
    env.forEach(
        (name, value) -> {
          if (name.startsWith("OTEL_")) {
            settings.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
          }
        });
    settings.put("otel.metrics.exporter", "none");
    settings.put("otel.logs.exporter", "none");
    OpenTelemetrySdk sdk;
    String[] sampler = new String[2];
    try {
      sdk =
          AutoConfiguredOpenTelemetrySdk.builder()
              .addPropertiesSupplier(() -> defaults)
              .addPropertiesCustomizer(config -> settings) // Herald's env wins over the process's
              .addPropertiesCustomizer(
                  config -> {
                    sampler[0] = config.getString("otel.traces.sampler", "");
                    sampler[1] = config.getString("otel.traces.sampler.arg", "");
                    return Map.of();
                  })
              .addResourceCustomizer(OtelTracing::defaultServiceName)
              .disableShutdownHook() // Herald.close() flushes and shuts it down
              .build()
              .getOpenTelemetrySdk();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "OpenTelemetry settings (OTEL_*) are invalid: " + e.getMessage(), e);
    }
    LOG.info(
        "tracing on: OTLP export to {}, sampler {} {}",
        env.getOrDefault(
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", env.get("OTEL_EXPORTER_OTLP_ENDPOINT")),
        sampler[0],
        sampler[1]);
    return new OtelTracing(sdk, sampler[0].startsWith("parentbased_"));
  }

  static boolean enabled(Map<String, String> env) {
    boolean endpoint =
        !env.getOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT", "").isBlank()
            || !env.getOrDefault("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "").isBlank();
    boolean disabled = env.getOrDefault("OTEL_SDK_DISABLED", "false").trim().equals("true");
    boolean none = env.getOrDefault("OTEL_TRACES_EXPORTER", "otlp").trim().equals("none");
    return endpoint && !disabled && !none;
  }

  private static Resource defaultServiceName(Resource resource, ConfigProperties config) {
    String name = resource.getAttribute(SERVICE_NAME);
    if (name == null || name.startsWith("unknown_service")) {
      return resource.merge(Resource.create(Attributes.of(SERVICE_NAME, DEFAULT_SERVICE)));
    }
    return resource;
  }

  @Override
  public boolean enabled() {
    return true;
  }

  @Override
  public Span start(String name, Kind kind, Optional<String> parent) {
    SpanContext remote = parent.map(OtelTracing::parse).orElse(SpanContext.getInvalid());
    if (parentBased && remote.isValid() && !remote.isSampled()) {
      return Span.NONE; // the sampler would not record it: carry the parent on as it is
    }
    Context context =
        remote.isValid()
            ? Context.root().with(io.opentelemetry.api.trace.Span.wrap(remote))
            : Context.root();
    io.opentelemetry.api.trace.Span span =
        tracer.spanBuilder(name).setParent(context).setSpanKind(kind(kind)).startSpan();
    return new OtelSpan(span);
  }

  /** A W3C traceparent ({@code 00-<trace id>-<span id>-<flags>}); invalid when it is not one. */
  static SpanContext parse(String traceparent) {
    String value = traceparent.trim();
    if (value.length() != 55
        || !value.startsWith("00-")
        || value.charAt(35) != '-'
        || value.charAt(52) != '-') {
      return SpanContext.getInvalid();
    }
    CharSequence traceId = value.subSequence(3, 35);
    CharSequence spanId = value.subSequence(36, 52);
    if (!TraceId.isValid(traceId) || !SpanId.isValid(spanId) || !isHex(value, 53, 55)) {
      return SpanContext.getInvalid();
    }
    return SpanContext.createFromRemoteParent(
        traceId.toString(),
        spanId.toString(),
        TraceFlags.fromHex(value, 53),
        TraceState.getDefault());
  }

  private static boolean isHex(String value, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = value.charAt(i);
      if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  private static SpanKind kind(Kind kind) {
    return switch (kind) {
      case SERVER -> SpanKind.SERVER;
      case CONSUMER -> SpanKind.CONSUMER;
      case CLIENT -> SpanKind.CLIENT;
      case INTERNAL -> SpanKind.INTERNAL;
    };
  }

  /** Exports what is buffered and stops the exporter (waits up to 10 seconds). */
  @Override
  public void close() {
    sdk.getSdkTracerProvider().shutdown().join(10, TimeUnit.SECONDS);
    sdk.close();
  }

  /** One SDK span (sampled or not: an unsampled root still names a context to carry on). */
  private static final class OtelSpan implements Span {
    private final io.opentelemetry.api.trace.Span span;

    OtelSpan(io.opentelemetry.api.trace.Span span) {
      this.span = span;
    }

    @Override
    public boolean recording() {
      return span.isRecording();
    }

    @Override
    public Span set(String key, String value) {
      span.setAttribute(key, value);
      return this;
    }

    @Override
    public Span set(String key, long value) {
      span.setAttribute(key, value);
      return this;
    }

    @Override
    public Span set(String key, List<String> values) {
      span.setAttribute(AttributeKey.stringArrayKey(key), values);
      return this;
    }

    @Override
    public Optional<String> traceparentOr(Optional<String> incoming) {
      SpanContext context = span.getSpanContext();
      return Optional.of(
          "00-"
              + context.getTraceId()
              + "-"
              + context.getSpanId()
              + "-"
              + context.getTraceFlags().asHex());
    }

    @Override
    public void fail(String code, String message) {
      span.setAttribute(CODE, code);
      span.setStatus(StatusCode.ERROR, message);
    }

    @Override
    public void end() {
      span.end();
    }
  }
}
