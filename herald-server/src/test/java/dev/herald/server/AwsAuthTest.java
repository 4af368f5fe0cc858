package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.auth.KeyToken;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * SigV4 on the AWS protocol against a Herald with auth on (a bootstrap admin key): the SDK signs
 * with an API key's id and secret; a wrong secret, an unknown key, a stale date and a tampered body
 * get AWS's status and code for each service (the stale date and the tampered body are signed with
 * the SDK's signer directly, since the SDK itself corrects clock skew and retries); scopes apply as
 * for bearer keys.
 */
class AwsAuthTest {
  static final KeyToken BOOTSTRAP = new KeyToken("hk_awsboot", "aws-bootstrap-secret-0123456789");
  static Herald herald;
  static KeyClient admin;

  @BeforeAll
  static void start() {
    herald =
        Herald.start(
            HeraldConfig.embedded(TestHerald.tempDir()).withPort(0),
            SecuritySettings.defaults().withBootstrapKey(BOOTSTRAP));
    admin = new KeyClient(herald, BOOTSTRAP.text());
    assertThat(admin.put("/v1/buses/aws-auth", "{}").status()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  private static URI endpoint() {
    return URI.create("http://127.0.0.1:" + herald.port());
  }

  static EventBridgeClient events(String id, String secret) {
    return EventBridgeClient.builder()
        .endpointOverride(endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret)))
        .build();
  }

  static SqsClient sqs(String id, String secret) {
    return SqsClient.builder()
        .endpointOverride(endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret)))
        .build();
  }

  @Test
  void signedWithTheKeysSecretIsServed() {
    try (var events = events(BOOTSTRAP.id(), BOOTSTRAP.secret());
        var sqs = sqs(BOOTSTRAP.id(), BOOTSTRAP.secret())) {
      assertThat(events.createEventBus(r -> r.name("aws-signed")).eventBusArn())
          .endsWith("event-bus/aws-signed");
      assertThat(sqs.listQueues(r -> r.queueNamePrefix("none-")).queueUrls()).isEmpty();
    }
  }

  @Test
  void wrongSecretAndUnknownKeyAreRefusedWithEachServicesCode() {
    try (var events = events(BOOTSTRAP.id(), "not-the-secret");
        var sqs = sqs(BOOTSTRAP.id(), "not-the-secret");
        var stranger = events("hk_nobody", "whatever")) {
      assertThatThrownBy(() -> events.listEventBuses(r -> {}))
          .isInstanceOfSatisfying(
              AwsServiceException.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
              });
      assertThatThrownBy(() -> sqs.listQueues(r -> {}))
          .isInstanceOfSatisfying(
              AwsServiceException.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
              });
      assertThatThrownBy(() -> stranger.listEventBuses(r -> {}))
          .isInstanceOfSatisfying(
              AwsServiceException.class,
              e ->
                  assertThat(e.awsErrorDetails().errorCode())
                      .isEqualTo("UnrecognizedClientException"));
    }
  }

  @Test
  void scopesApplyAsForBearerKeys() {
    var created = admin.post("/v1/keys", "{'name':'aws-publisher','scopes':['publish:aws-auth']}");
    assertThat(created.status()).isEqualTo(201);
    KeyToken key = KeyToken.parse(created.body().get("key").asText()).orElseThrow();
    try (var events = events(key.id(), key.secret())) {
      var sent =
          events.putEvents(
              r ->
                  r.entries(
                      e -> e.eventBusName("aws-auth").source("s").detailType("t").detail("{}")));
      assertThat(sent.failedEntryCount()).isZero();
      assertThatThrownBy(
              () ->
                  events.putEvents(r -> r.entries(e -> e.source("s").detailType("t").detail("{}"))))
          .isInstanceOfSatisfying(
              AwsServiceException.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
      assertThatThrownBy(
              () -> events.putRule(r -> r.name("nope").eventPattern("{\"source\":[\"s\"]}")))
          .isInstanceOfSatisfying(
              AwsServiceException.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
    }
  }

  @Test
  void staleDateIsRefused() {
    Clock tenMinutesAgo = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10));
    String body = "{}";
    var stale = send("AWSEvents.ListEventBuses", "events", body, body, tenMinutesAgo);
    assertThat(stale.statusCode()).isEqualTo(400);
    assertThat(stale.headers().firstValue("x-amzn-ErrorType"))
        .hasValue("InvalidSignatureException");
    assertThat(stale.body()).contains("Signature expired");
    var staleSqs = send("AmazonSQS.ListQueues", "sqs", body, body, tenMinutesAgo);
    assertThat(staleSqs.statusCode()).isEqualTo(403);
    assertThat(staleSqs.headers().firstValue("x-amzn-ErrorType")).hasValue("SignatureDoesNotMatch");
    assertThat(
            send("AWSEvents.ListEventBuses", "events", body, body, Clock.systemUTC()).statusCode())
        .isEqualTo(200);
  }

  @Test
  void tamperedBodyIsRefused() {
    String signed = "{\"NamePrefix\":\"a\"}";
    var tampered =
        send(
            "AWSEvents.ListEventBuses",
            "events",
            signed,
            "{\"NamePrefix\":\"b\"}",
            Clock.systemUTC());
    assertThat(tampered.statusCode()).isEqualTo(400);
    assertThat(tampered.headers().firstValue("x-amzn-ErrorType"))
        .hasValue("InvalidSignatureException");
  }

  @Test
  void unsignedIsRefusedAndABearerKeyIsAccepted() {
    var request =
        HttpRequest.newBuilder(URI.create(endpoint() + "/"))
            .header("X-Amz-Target", "AWSEvents.ListEventBuses")
            .header("Content-Type", "application/x-amz-json-1.1")
            .POST(HttpRequest.BodyPublishers.ofString("{}"));
    var unsigned = admin.as(null).raw(request);
    assertThat(unsigned.status()).isEqualTo(400);
    assertThat(unsigned.raw().headers().firstValue("x-amzn-ErrorType"))
        .hasValue("MissingAuthenticationTokenException");
    var bearer = admin.raw(request.copy().header("Authorization", "Bearer " + BOOTSTRAP.text()));
    assertThat(bearer.status()).isEqualTo(200);
  }

  /**
   * Signs {@code signedBody} with the bootstrap key at {@code clock}'s time and sends {@code
   * sentBody}.
   */
  private static HttpResponse<String> send(
      String target, String service, String signedBody, String sentBody, Clock clock) {
    SdkHttpRequest request =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(URI.create(endpoint() + "/"))
            .putHeader("Content-Type", "application/x-amz-json-1.1")
            .putHeader("X-Amz-Target", target)
            .build();
    SignedRequest signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(AwsCredentialsIdentity.create(BOOTSTRAP.id(), BOOTSTRAP.secret()))
                        .request(request)
                        .payload(ContentStreamProvider.fromUtf8String(signedBody))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                        .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock));
    HttpRequest.Builder http =
        HttpRequest.newBuilder(URI.create(endpoint() + "/"))
            .POST(HttpRequest.BodyPublishers.ofString(sentBody, StandardCharsets.UTF_8));
    for (Map.Entry<String, List<String>> header : signed.request().headers().entrySet()) {
      if (!header.getKey().equalsIgnoreCase("Host")
          && !header.getKey().equalsIgnoreCase("Content-Length")) {
        header.getValue().forEach(v -> http.header(header.getKey(), v));
      }
    }
    try {
      return TestHerald.HTTP.send(http.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
