package dev.herald.server.trace;

import dev.herald.core.trace.Span;
import dev.herald.core.trace.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
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
 * so the 99% of unsampled events cost a check of 55 characters and no object.
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
    String value = parent.isPresent() ? parent.get().trim() : "";
    boolean valid = isTraceparent(value);
    if (parentBased && valid && (hexDigit(value.charAt(54)) & 1) == 0) {
      return Span.NONE; // the sampler would not record it: carry the parent on as it is
    }
    Context context =
        valid
            ? Context.root().with(io.opentelemetry.api.trace.Span.wrap(remote(value)))
            : Context.root();
    io.opentelemetry.api.trace.Span span =
        tracer.spanBuilder(name).setParent(context).setSpanKind(kind(kind)).startSpan();
    return new OtelSpan(span);
  }

  /** A W3C traceparent ({@code 00-<trace id>-<span id>-<flags>}); invalid when it is not one. */
  static SpanContext parse(String traceparent) {
    String value = traceparent.trim();
    return isTraceparent(value) ? remote(value) : SpanContext.getInvalid();
  }

  /**
   * Version 00, lowercase hex, trace and span ids not all zeros; checked in place (no allocation:
   * it runs for every routed event and attempt).
   */
  static boolean isTraceparent(String value) {
    if (value.length() != 55
        || !value.startsWith("00-")
        || value.charAt(35) != '-'
        || value.charAt(52) != '-') {
      return false;
    }
    return isHex(value, 3, 35) && isHex(value, 36, 52) && isHex(value, 53, 55);
  }

  private static SpanContext remote(String value) {
    return SpanContext.createFromRemoteParent(
        value.substring(3, 35),
        value.substring(36, 52),
        TraceFlags.fromHex(value, 53),
        TraceState.getDefault());
  }

  /**
   * Lowercase hex digits, not all zeros (an all-zero id is invalid; flags 00 are not checked so).
   */
  private static boolean isHex(String value, int from, int to) {
    boolean nonZero = to - from == 2; // the flags may be 00
    for (int i = from; i < to; i++) {
      int digit = hexDigit(value.charAt(i));
      if (digit < 0) {
        return false;
      }
      nonZero |= digit != 0;
    }
    return nonZero;
  }

  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
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
