package dev.herald.server;

import static dev.herald.server.AdminApiTest.assertError;
import static dev.herald.server.TestHerald.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where targets may send to, checked when a target is stored (against the running server). */
class OutboundTest {
  private final Herald herald = TestHerald.shared();
  private final String id = UUID.randomUUID().toString().substring(0, 8);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://169.254.169.254/latest/meta-data/",
        "http://[::169.254.169.254]/x",
        "http://[::ffff:169.254.169.254]/x",
        "http://[64:ff9b::a9fe:a9fe]/x",
        "http://[2002:a9fe:a9fe::1]/x",
        "http://255.255.255.255/x",
        "http://198.18.0.1/x",
        "http://10.0.0.1/x"
      })
  void aWebhookToAForbiddenLiteralAddressIsRefusedAtPut(String url) {
    String t = "/v1/targets/wh-" + id;
    assertError(
        put(herald, t, "{'type':'webhook','webhook':{'url':'" + url + "'}}"),
        400,
        "ForbiddenAddress",
        "webhook.url");
    assertThat(TestHerald.get(herald, t).status()).as("nothing was stored").isEqualTo(404);
  }

  @Test
  void heraldsOwnListenerIsNeverATarget() {
    String own = "http://127.0.0.1:" + herald.port() + "/v1/targets/evil";
    var answer =
        put(herald, "/v1/targets/self-" + id, "{'type':'webhook','webhook':{'url':'" + own + "'}}");
    assertError(answer, 400, "ForbiddenAddress", "webhook.url");
    assertThat(answer.body().at("/error/message").asText()).contains("own port");
    // another loopback port is fine while Herald is bound to loopback (development)
    var other =
        put(
            herald,
            "/v1/targets/other-" + id,
            "{'type':'webhook','webhook':{'url':'http://127.0.0.1:9/hook'}}");
    assertThat(other.status()).as(String.valueOf(other.body())).isEqualTo(200);
  }

  @Test
  void chatSmtpAndOAuthTokenUrlAreCheckedAtPutNamingTheField() {
    assertError(
        put(
            herald,
            "/v1/targets/chat-" + id,
            "{'type':'chat','chat':{'url':'https://[64:ff9b::a9fe:a9fe]/T/B/x','text':'hi'}}"),
        400,
        "ForbiddenAddress",
        "chat.url");
    assertError(
        put(
            herald,
            "/v1/targets/mail-" + id,
            "{'type':'email','email':{'smtp':{'host':'169.254.169.254','port':25,'tls':'none'},"
                + "'from':'a@shop.example','to':['b@shop.example'],'subject':'s','text':'t'}}"),
        400,
        "ForbiddenAddress",
        "email.smtp.host");
    assertError(
        put(
            herald,
            "/v1/targets/oauth-" + id,
            "{'type':'webhook','webhook':{'url':'https://hooks.example.com/h','auth':{'oauth':"
                + "{'tokenUrl':'http://[::169.254.169.254]/token','clientId':'c',"
                + "'clientSecret':'s'}}}}"),
        400,
        "ForbiddenAddress",
        "webhook.auth.oauth.tokenUrl");
  }

  @Test
  void aBadAllowListEntryStopsTheStartNamingTheEntry() {
    assertThatThrownBy(
            () ->
                Herald.start(
                    HeraldConfig.embedded(TestHerald.tempDir()).withPort(0),
                    Map.of("HERALD_OUTBOUND_ALLOW", "10.0.0.0/8,10.1.0.0/40")))
        .hasMessageContaining("HERALD_OUTBOUND_ALLOW")
        .hasMessageContaining("10.1.0.0/40");
  }
}
