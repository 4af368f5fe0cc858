package dev.herald.server.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** The verifier against requests signed by the AWS SDK's own SigV4 signer. */
class SigV4VerifierTest {
  static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  static final String SECRET = "the-secret-of-hk_test-0123456789";

  record Signed(Map<String, List<String>> headers, byte[] body) {}

  static Signed sign(String body, Instant at) {
    SdkHttpRequest request =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(URI.create("http://127.0.0.1:8080/"))
            .putHeader("Content-Type", "application/x-amz-json-1.1")
            .putHeader("X-Amz-Target", "AWSEvents.ListRules")
            .build();
    var signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(AwsCredentialsIdentity.create("hk_test", SECRET))
                        .request(request)
                        .payload(ContentStreamProvider.fromUtf8String(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "events")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-1")
                        .putProperty(
                            AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)));
    Map<String, List<String>> headers = new HashMap<>();
    signed
        .request()
        .headers()
        .forEach(
            (name, values) -> headers.put(name.toLowerCase(Locale.ROOT), new ArrayList<>(values)));
    return new Signed(headers, body.getBytes(StandardCharsets.UTF_8));
  }

  static String verify(Signed s, Instant now) {
    return SigV4Verifier.verify(
        "POST",
        "/",
        "",
        s.headers(),
        s.body(),
        now,
        id -> id.equals("hk_test") ? Optional.of(SECRET) : Optional.empty());
  }

  @Test
  void acceptsWhatTheSdksSignerSigned() {
    assertThat(verify(sign("{\"Limit\":5}", NOW), NOW.plusSeconds(30))).isEqualTo("hk_test");
  }

  @Test
  void refusesAChangedBodyOrHeader() {
    Signed s = sign("{\"Limit\":5}", NOW);
    Signed body = new Signed(s.headers(), "{\"Limit\":6}".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> verify(body, NOW))
        .isInstanceOfSatisfying(
            SigV4Verifier.Refused.class,
            e -> assertThat(e.problem()).isEqualTo(SigV4Verifier.Problem.MISMATCH));
    s.headers().put("x-amz-target", List.of("AWSEvents.DeleteRule"));
    assertThatThrownBy(() -> verify(s, NOW))
        .isInstanceOfSatisfying(
            SigV4Verifier.Refused.class,
            e -> assertThat(e.problem()).isEqualTo(SigV4Verifier.Problem.MISMATCH));
  }

  @Test
  void refusesADateMoreThanFiveMinutesAwayEitherWay() {
    Signed s = sign("{}", NOW);
    assertThat(verify(s, NOW.plus(Duration.ofMinutes(5)))).isEqualTo("hk_test");
    for (Instant now : List.of(NOW.plus(Duration.ofMinutes(6)), NOW.minus(Duration.ofMinutes(6)))) {
      assertThatThrownBy(() -> verify(s, now))
          .isInstanceOfSatisfying(
              SigV4Verifier.Refused.class,
              e -> {
                assertThat(e.problem()).isEqualTo(SigV4Verifier.Problem.EXPIRED);
                assertThat(e.getMessage()).startsWith("Signature expired: 20261207T120000Z");
              });
    }
  }

  @Test
  void refusesAnUnknownKeyAnUnsignedPayloadAndAMalformedHeader() {
    Signed s = sign("{}", NOW);
    assertThatThrownBy(
            () ->
                SigV4Verifier.verify(
                    "POST", "/", "", s.headers(), s.body(), NOW, id -> Optional.empty()))
        .isInstanceOfSatisfying(
            SigV4Verifier.Refused.class,
            e -> assertThat(e.problem()).isEqualTo(SigV4Verifier.Problem.UNKNOWN_KEY));
    s.headers().put("x-amz-content-sha256", List.of("UNSIGNED-PAYLOAD"));
    assertThatThrownBy(() -> verify(s, NOW))
        .isInstanceOfSatisfying(
            SigV4Verifier.Refused.class,
            e -> assertThat(e.problem()).isEqualTo(SigV4Verifier.Problem.MISMATCH));
    s.headers().remove("x-amz-content-sha256");
    s.headers().put("authorization", List.of("AWS4-HMAC-SHA256 Credential=hk_test/20261207"));
    assertThatThrownBy(() -> verify(s, NOW))
        .isInstanceOfSatisfying(
            SigV4Verifier.Refused.class,
            e -> assertThat(e.problem()).isEqualTo(SigV4Verifier.Problem.MALFORMED));
  }
}
