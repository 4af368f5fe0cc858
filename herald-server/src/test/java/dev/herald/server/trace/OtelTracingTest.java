package dev.herald.server.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.trace.Span;
import dev.herald.core.trace.Tracing;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The OpenTelemetry binding of the tracing facade, against a real OTLP receiver. */
class OtelTracingTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SAMPLED = "00-" + TRACE + "-00f067aa0ba902b7-01";
  private static final String UNSAMPLED = "00-" + TRACE + "-00f067aa0ba902b7-00";

  @Test
  void aSampledParentGivesARecordingChildInItsTrace() {
    try (OtlpReceiver otlp = new OtlpReceiver();
        OtelTracing tracing = otel(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint()))) {
      Span span = tracing.start("herald.test", Tracing.Kind.INTERNAL, Optional.of(SAMPLED));
      assertThat(span.recording()).isTrue();
      String own = span.traceparentOr(Optional.empty()).orElseThrow();
      assertThat(own).startsWith("00-" + TRACE + "-").endsWith("-01").isNotEqualTo(SAMPLED);
      span.end();
    }
  }

  @Test
  void anUnsampledParentUnderTheDefaultParentBasedSamplerBuildsNoSpanAndCarriesTheParentOn() {
    try (OtlpReceiver otlp = new OtlpReceiver();
        OtelTracing tracing = otel(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint()))) {
      Span span = tracing.start("herald.test", Tracing.Kind.INTERNAL, Optional.of(UNSAMPLED));
      assertThat(span).isSameAs(Span.NONE);
      assertThat(span.traceparentOr(Optional.of(UNSAMPLED))).contains(UNSAMPLED);
    }
  }

  @Test
  void anInvalidParentStartsANewTraceAndAnAlwaysOnSamplerRecordsIt() {
    try (OtlpReceiver otlp = new OtlpReceiver();
        OtelTracing tracing =
            otel(
                Map.of(
                    "OTEL_EXPORTER_OTLP_ENDPOINT",
                    otlp.endpoint(),
                    "OTEL_TRACES_SAMPLER",
                    "always_on"))) {
      for (String bad :
          new String[] {
            "", "garbage", "00-" + "0".repeat(32) + "-00f067aa0ba902b7-01", SAMPLED.toUpperCase()
          }) {
        Span span = tracing.start("herald.test", Tracing.Kind.INTERNAL, Optional.of(bad));
        assertThat(span.recording()).as(bad).isTrue();
        String own = span.traceparentOr(Optional.empty()).orElseThrow();
        assertThat(own).as(bad).doesNotContain(TRACE);
        assertThat(OtelTracing.parse(own).isSampled()).as(own).isTrue(); // flags 01 or 03 (random)
        span.end();
      }
    }
  }

  @Test
  void parsesOnlyW3cVersion00TraceparentsWithNonZeroIds() {
    assertThat(OtelTracing.parse(SAMPLED).isValid()).isTrue();
    assertThat(OtelTracing.parse(SAMPLED).isSampled()).isTrue();
    assertThat(OtelTracing.parse(UNSAMPLED).isSampled()).isFalse();
    assertThat(OtelTracing.parse(" " + SAMPLED + " ").isValid()).isTrue();
    assertThat(OtelTracing.parse("01" + SAMPLED.substring(2)).isValid()).isFalse();
    assertThat(OtelTracing.parse("00-" + TRACE + "-0000000000000000-01").isValid()).isFalse();
    assertThat(OtelTracing.parse(SAMPLED.replace("-01", "-zz")).isValid()).isFalse();
    assertThat(OtelTracing.parse(SAMPLED + "-extra").isValid()).isFalse();
  }

  @Test
  void anInvalidSettingStopsTheStartNamingTheSettings() {
    assertThatThrownBy(
            () ->
                OtelTracing.fromEnv(
                    Map.of(
                        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318",
                        "OTEL_TRACES_SAMPLER", "sometimes")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OTEL_")
        .hasMessageContaining("sometimes");
  }

  private static OtelTracing otel(Map<String, String> env) {
    return (OtelTracing) OtelTracing.fromEnv(env);
  }
}
