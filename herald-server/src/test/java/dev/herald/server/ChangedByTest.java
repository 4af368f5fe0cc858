package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.herald.core.auth.KeyToken;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Who changed a bus, rule, target or key ({@code changedBy} on GET), and the one log line with the
 * key id (never the secret) of every admin change, against a real Herald with auth on; {@code
 * "anonymous"} with auth off.
 */
class ChangedByTest {
  static final KeyToken BOOTSTRAP = new KeyToken("hk_boot", "bootstrap-secret-0123456789");

  static Herald herald;
  static KeyClient boot;

  @BeforeAll
  static void start() {
    herald =
        Herald.start(
            HeraldConfig.embedded(TestHerald.tempDir()).withPort(0),
            SecuritySettings.defaults().withBootstrapKey(BOOTSTRAP));
    boot = new KeyClient(herald, BOOTSTRAP.text());
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  static KeyClient adminKey() {
    var created = boot.post("/v1/keys", "{'name':'operator','scopes':['admin']}");
    assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
    return boot.as(created.body().get("key").asText());
  }

  static String id(KeyClient client) {
    return client.key().substring(0, client.key().indexOf('.'));
  }

  static String changedBy(KeyClient.Answer answer) {
    assertThat(answer.status()).as(String.valueOf(answer.body())).isIn(200, 201);
    return answer.body().get("changedBy").asText(null);
  }

  @Test
  void busesRulesAndTargetsShowTheKeyThatLastChangedThem() {
    KeyClient alice = adminKey();
    KeyClient bob = adminKey();

    assertThat(changedBy(alice.put("/v1/buses/shop", "{}"))).isEqualTo(id(alice));
    assertThat(changedBy(alice.put("/v1/targets/sink", "{'type':'log'}"))).isEqualTo(id(alice));
    assertThat(
            changedBy(
                alice.put(
                    "/v1/buses/shop/rules/all",
                    "{'pattern':{'source':['shop']},'targets':[{'target':'sink'}]}")))
        .isEqualTo(id(alice));
    assertThat(changedBy(bob.put("/v1/targets/sink", "{'type':'log'}"))).isEqualTo(id(bob));
    assertThat(changedBy(bob.put("/v1/buses/shop", "{'description':'shop events'}")))
        .isEqualTo(id(bob));

    assertThat(changedBy(alice.get("/v1/buses/shop"))).isEqualTo(id(bob));
    assertThat(changedBy(alice.get("/v1/targets/sink"))).isEqualTo(id(bob));
    assertThat(changedBy(alice.get("/v1/buses/shop/rules/all"))).isEqualTo(id(alice));
    assertThat(alice.get("/v1/buses/shop/rules").body().at("/items/0/changedBy").asText())
        .isEqualTo(id(alice));
    assertThat(changedBy(alice.post("/v1/targets/sink/resume", "{}"))).isEqualTo(id(alice));
    assertThat(alice.get("/v1/targets").body().findValuesAsText("changedBy")).contains(id(alice));
    assertThat(alice.get("/v1/buses/default").body().get("changedBy").asText()).isEqualTo("herald");
  }

  @Test
  void keysShowWhoCreatedThemAndTheBootstrapKeyIsChangedByBootstrap() {
    KeyClient alice = adminKey();

    var created = alice.post("/v1/keys", "{'name':'publisher','scopes':['publish:*']}");

    assertThat(changedBy(created)).isEqualTo(id(alice));
    assertThat(
            boot.get("/v1/keys").body().get("keys").findValues("id").stream()
                .map(n -> n.asText())
                .toList())
        .contains(BOOTSTRAP.id());
    var keys = boot.get("/v1/keys").body().get("keys");
    for (var key : keys) {
      if (key.get("id").asText().equals(BOOTSTRAP.id())) {
        assertThat(key.get("changedBy").asText()).isEqualTo("bootstrap");
      }
    }
  }

  @Test
  void everyAdminChangeLogsOneLineWithTheKeyIdNeverTheSecret() {
    KeyClient alice = adminKey();
    String secret = alice.key().substring(id(alice).length() + 1);
    Logger logger = (Logger) LoggerFactory.getLogger("dev.herald.server.auth.AuthFilter");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    Level before = logger.getLevel();
    logger.setLevel(Level.INFO);
    logger.addAppender(appender);
    try {
      List<String> changes =
          List.of(
              "PUT /v1/buses/audited",
              "PUT /v1/targets/audited-sink",
              "PUT /v1/buses/audited/rules/r1",
              "POST /v1/targets/audited-sink/resume",
              "POST /v1/targets/audited-sink/dlq/redrive",
              "DELETE /v1/targets/audited-sink/dlq",
              "DELETE /v1/buses/audited/rules/r1",
              "DELETE /v1/targets/audited-sink",
              "DELETE /v1/buses/audited",
              "POST /v1/keys",
              "DELETE /v1/keys/");
      alice.put("/v1/buses/audited", "{}");
      alice.put("/v1/targets/audited-sink", "{'type':'log'}");
      alice.put(
          "/v1/buses/audited/rules/r1",
          "{'pattern':{'source':['shop']},'targets':[{'target':'audited-sink'}]}");
      alice.post("/v1/targets/audited-sink/resume", "{}");
      alice.post("/v1/targets/audited-sink/dlq/redrive", "{'all':true}");
      alice.delete("/v1/targets/audited-sink/dlq");
      alice.delete("/v1/buses/audited/rules/r1");
      alice.delete("/v1/targets/audited-sink");
      alice.delete("/v1/buses/audited");
      var key = alice.post("/v1/keys", "{'name':'short-lived','scopes':['read']}");
      alice.delete("/v1/keys/" + key.body().get("id").asText());
      alice.get("/v1/buses"); // a read is no change

      // the line is logged once the answer is sent: wait for the last one. Only alice's lines:
      // the line of the bootstrap key creating alice may come after the appender was attached
      String byAlice = "(key " + id(alice) + ")";
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> adminChangesEndingWith(appender, byAlice).size() >= changes.size());
      List<String> lines = adminChangesEndingWith(appender, byAlice);
      assertThat(lines).hasSize(changes.size());
      for (int i = 0; i < changes.size(); i++) {
        assertThat(lines.get(i)).startsWith("admin change " + changes.get(i));
      }
      assertThat(appender.list)
          .noneMatch(e -> e.getFormattedMessage().contains(secret))
          .noneMatch(e -> e.getFormattedMessage().contains(BOOTSTRAP.secret()));
    } finally {
      logger.detachAppender(appender);
      logger.setLevel(before);
    }
  }

  private static List<String> adminChangesEndingWith(
      ListAppender<ILoggingEvent> appender, String suffix) {
    synchronized (appender) { // the appender appends under its own lock
      return appender.list.stream()
          .map(ILoggingEvent::getFormattedMessage)
          .filter(l -> l.startsWith("admin change") && l.endsWith(suffix))
          .toList();
    }
  }

  @Test
  void withAuthOffChangesAreMadeByAnonymous() {
    KeyClient open = new KeyClient(TestHerald.shared(), null);
    String bus = "anon-" + UUID.randomUUID().toString().substring(0, 8);

    assertThat(changedBy(open.put("/v1/buses/" + bus, "{}"))).isEqualTo("anonymous");
    assertThat(changedBy(open.get("/v1/buses/" + bus))).isEqualTo("anonymous");
  }
}
