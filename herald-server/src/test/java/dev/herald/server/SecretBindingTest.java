package dev.herald.server;

import static dev.herald.server.AdminApiTest.assertError;
import static dev.herald.server.TestHerald.get;
import static dev.herald.server.TestHerald.postJson;
import static dev.herald.server.TestHerald.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A stored secret is bound to its destination; webhook header values are write-only. */
class SecretBindingTest {
  private final Herald herald = TestHerald.shared();
  private final String id = UUID.randomUUID().toString().substring(0, 8);

  private static final String SECRETS =
      "'secret':'whsec_c2VjcmV0c2VjcmV0c2VjcmV0','auth':{'bearer':'tok-1'},"
          + "'headers':{'X-Api-Key':'k-123','X-Env':'prod'}";

  private TestHerald.Answer putWebhook(String name, String url, String secrets, String... ifMatch) {
    return put(
        herald,
        "/v1/targets/" + name,
        "{'type':'webhook','webhook':{'url':'" + url + "'," + secrets + "}}",
        ifMatch);
  }

  @Test
  void headerValuesAreShownMaskedAndKeptWhenTheGetBodyIsSentBack() {
    try (Receiver receiver = new Receiver(() -> 204)) {
      String name = "hdr-" + id;
      var stored = putWebhook(name, receiver.url(), SECRETS);
      assertThat(stored.status()).as(String.valueOf(stored.body())).isEqualTo(200);
      var shown = get(herald, "/v1/targets/" + name);
      assertThat(shown.body().at("/webhook/headers/X-Api-Key").asText()).isEqualTo("***");
      assertThat(shown.body().at("/webhook/headers/X-Env").asText()).isEqualTo("***");
      assertThat(shown.body().toString()).doesNotContain("k-123").doesNotContain("tok-1");

      var again = put(herald, "/v1/targets/" + name, shown.body().toString(), "If-Match", "1");
      assertThat(again.status()).as(String.valueOf(again.body())).isEqualTo(200);
      var rule =
          put(
              herald,
              "/v1/buses/default/rules/" + name,
              "{'pattern':{'source':['" + name + "']},'targets':[{'target':'" + name + "'}]}");
      assertThat(rule.status()).as(String.valueOf(rule.body())).isEqualTo(200);
      postJson(herald, "{'entries':[{'source':'" + name + "','detailType':'T','detail':{'n':1}}]}");
      await().atMost(Duration.ofSeconds(60)).until(() -> !receiver.calls.isEmpty());
      Receiver.Call call = receiver.calls.getFirst();
      assertThat(call.header("X-Api-Key")).isEqualTo("k-123");
      assertThat(call.header("X-Env")).isEqualTo("prod");
      assertThat(call.header("Authorization")).isEqualTo("Bearer tok-1");
    }
  }

  @Test
  void changingTheWebhookHostWhileSendingMaskedSecretsNamesTheSecretsToSendAgain() {
    String name = "move-" + id;
    assertThat(putWebhook(name, "http://127.0.0.1:9/hook", SECRETS).status()).isEqualTo(200);
    String masked =
        "'secret':'***','auth':{'bearer':'***'},'headers':{'X-Api-Key':'***','X-Env':'prod'}";

    var moved = putWebhook(name, "http://localhost:9/hook", masked);
    assertError(moved, 400, "SecretsRequired", "webhook.secret");
    assertThat(moved.body().at("/error/message").asText())
        .contains("webhook.url")
        .contains("webhook.secret")
        .contains("webhook.auth.bearer")
        .contains("webhook.headers.X-Api-Key")
        .doesNotContain("X-Env"); // sent in clear, nothing stored follows it
    assertThat(get(herald, "/v1/targets/" + name).body().at("/version").asLong()).isEqualTo(1);

    // the same host (another path or port) keeps the stored secrets
    assertThat(putWebhook(name, "http://127.0.0.1:10/other", masked).status()).isEqualTo(200);
    // a new host with every secret sent again is accepted
    var resent =
        putWebhook(
            name,
            "http://localhost:9/hook",
            "'secret':'whsec_bmV3c2VjcmV0bmV3c2VjcmV0','auth':{'bearer':'tok-2'},"
                + "'headers':{'X-Api-Key':'k-456','X-Env':'prod'}");
    assertThat(resent.status()).as(String.valueOf(resent.body())).isEqualTo(200);
  }

  @Test
  void changingTheOAuthTokenUrlHostRequiresTheClientSecretAgain() {
    String name = "oauth-" + id;
    String oauth = "'auth':{'oauth':{'tokenUrl':'%s','clientId':'c','clientSecret':'%s'}}";
    var stored =
        putWebhook(
            name, "https://127.0.0.1:9/hook", oauth.formatted("https://127.0.0.1:9/token", "cs-1"));
    assertThat(stored.status()).as(String.valueOf(stored.body())).isEqualTo(200);

    var moved =
        putWebhook(
            name, "https://127.0.0.1:9/hook", oauth.formatted("https://localhost:9/token", "***"));
    assertError(moved, 400, "SecretsRequired", "webhook.auth.oauth.clientSecret");
    assertThat(moved.body().at("/error/message").asText()).contains("webhook.auth.oauth.tokenUrl");

    var kept =
        putWebhook(
            name, "https://127.0.0.1:9/hook", oauth.formatted("https://127.0.0.1:9/token2", "***"));
    assertThat(kept.status()).as(String.valueOf(kept.body())).isEqualTo(200);
  }

  @Test
  void changingTheSmtpHostRequiresThePasswordAgain() {
    String name = "mail-" + id;
    String email =
        "{'type':'email','email':{'smtp':{'host':'%s','port':%d,'tls':'none','username':'u',"
            + "'password':'%s'},'from':'a@shop.example','to':['b@shop.example'],"
            + "'subject':'s','text':'t'}}";
    String path = "/v1/targets/" + name;
    assertThat(put(herald, path, email.formatted("127.0.0.1", 25, "pw-1")).status()).isEqualTo(200);

    var moved = put(herald, path, email.formatted("localhost", 25, "***"));
    assertError(moved, 400, "SecretsRequired", "email.smtp.password");
    assertThat(moved.body().at("/error/message").asText()).contains("email.smtp.host");

    assertThat(put(herald, path, email.formatted("127.0.0.1", 2525, "***")).status())
        .as("another port of the same host")
        .isEqualTo(200);
    ObjectNode shown = (ObjectNode) get(herald, path).body();
    assertThat(shown.at("/email/smtp/password").asText()).isEqualTo("***");
  }
}
