package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.herald.core.auth.KeyToken;
import dev.herald.core.secret.SecretBox;
import dev.herald.core.testing.TestPostgres;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * When auth is on and off: off on loopback without an admin key (with one warning), on once an
 * admin key exists (created or bootstrapped), refused beyond loopback without one; a revoked key
 * stops working on a second instance.
 */
class AuthModesTest {

  @Test
  void withoutAnAdminKeyOnlyAnAdminKeyCanBeCreated() {
    KeyClient open = new KeyClient(TestHerald.shared(), null);

    var refused = open.post("/v1/keys", "{'name':'publisher','scopes':['publish:*']}");

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body().at("/error/field").asText()).isEqualTo("scopes");
    assertThat(refused.message()).contains("no admin key exists").contains("HERALD_BOOTSTRAP_KEY");
    assertThat(open.get("/v1/buses").status()).isEqualTo(200); // auth stays off
  }

  @Test
  void onLoopbackAuthIsOffWithOneWarningUntilAnAdminKeyIsCreated() {
    Logger logger = (Logger) LoggerFactory.getLogger(Herald.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    Path dir = TestHerald.tempDir();
    String adminKey;
    try (Herald herald =
        Herald.start(HeraldConfig.embedded(dir).withPort(0), SecuritySettings.defaults())) {
      assertThat(appender.list)
          .filteredOn(e -> e.getFormattedMessage().startsWith("auth is off"))
          .hasSize(1)
          .allMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN);
      KeyClient open = new KeyClient(herald, null);
      assertThat(open.get("/v1/buses").status()).isEqualTo(200);

      var created = open.post("/v1/keys", "{'name':'first-admin','scopes':['admin']}");
      assertThat(created.status()).isEqualTo(201);
      adminKey = created.body().get("key").asText();
      assertThat(created.body().get("changedBy").asText()).isEqualTo("anonymous");

      assertThat(open.get("/v1/buses").status()).isEqualTo(401);
      assertThat(open.as(adminKey).get("/v1/buses").status()).isEqualTo(200);
    } finally {
      logger.detachAppender(appender);
    }
    // the key is stored: after a restart auth is on at once, with no warning
    appender.list.clear();
    logger.addAppender(appender);
    try (Herald again =
        Herald.start(HeraldConfig.embedded(dir).withPort(0), SecuritySettings.defaults())) {
      assertThat(appender.list).noneMatch(e -> e.getFormattedMessage().startsWith("auth is off"));
      assertThat(new KeyClient(again, null).get("/v1/buses").status()).isEqualTo(401);
      assertThat(new KeyClient(again, adminKey).get("/v1/buses").status()).isEqualTo(200);
    } finally {
      logger.detachAppender(appender);
    }
  }

  @Test
  void theBootstrapKeyIsEnsuredAtEveryStartAndMetricsCanBePublic() {
    Path dir = TestHerald.tempDir();
    KeyToken first = new KeyToken("hk_ops", "first-bootstrap-secret-000");
    KeyToken rotated = new KeyToken("hk_ops", "rotated-bootstrap-secret-1");
    try (Herald herald =
        Herald.start(
            HeraldConfig.embedded(dir).withPort(0),
            SecuritySettings.defaults().withBootstrapKey(first))) {
      assertThat(new KeyClient(herald, first.text()).get("/v1/keys").status()).isEqualTo(200);
    }
    try (Herald herald =
        Herald.start(
            HeraldConfig.embedded(dir).withPort(0),
            SecuritySettings.defaults().withBootstrapKey(rotated).withMetricsPublic(true))) {
      KeyClient admin = new KeyClient(herald, rotated.text());
      assertThat(admin.as(null).get("/metrics").status()).isEqualTo(200); // HERALD_METRICS_PUBLIC
      assertThat(admin.as(null).get("/v1/buses").status()).isEqualTo(401);
      assertThat(admin.get("/v1/keys").status()).isEqualTo(200);
      assertThat(admin.get("/v1/keys").body().get("keys")).hasSize(1);
      assertThat(admin.as(first.text()).get("/v1/keys").status()).isEqualTo(401);
    }
  }

  @Test
  void aNonLoopbackBindWithoutAnAdminKeyRefusesToStart() {
    HeraldConfig everywhere =
        new HeraldConfig(
            TestHerald.tempDir(),
            "0.0.0.0",
            0,
            false,
            Optional.empty(),
            Optional.empty(),
            4,
            Optional.empty());

    assertThatThrownBy(() -> Herald.start(everywhere, SecuritySettings.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0.0.0.0")
        .hasMessageContaining("HERALD_BOOTSTRAP_KEY");
  }

  @Test
  void aMalformedBootstrapKeyIsRefusedWithoutEchoingIt() {
    assertThatThrownBy(
            () ->
                SecuritySettings.fromEnv(
                    java.util.Map.of("HERALD_BOOTSTRAP_KEY", "hk_x:not-a-key-secret-value")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("HERALD_BOOTSTRAP_KEY is malformed")
        .hasMessageNotContaining("not-a-key-secret-value");
    assertThatThrownBy(
            () -> SecuritySettings.fromEnv(java.util.Map.of("HERALD_BOOTSTRAP_KEY", "hk_x.short")))
        .hasMessageContaining("20 to 256 characters");
  }

  @Test
  void aRevokedKeyStopsWorkingOnASecondInstance() {
    KeyToken boot = new KeyToken("hk_cluster", "cluster-bootstrap-secret-0");
    String secretKey = Base64.getEncoder().encodeToString(SecretBox.newKey(new SecureRandom()));
    SecuritySettings security = SecuritySettings.defaults().withBootstrapKey(boot);
    try (TestPostgres.Schema schema = TestPostgres.get().createSchema();
        Herald first = Herald.start(config(Optional.empty(), schema, secretKey), security);
        Herald second =
            Herald.start(
                config(Optional.of(first.kafkaBootstrap()), schema, secretKey), security)) {
      KeyClient admin = new KeyClient(first, boot.text());
      String reader =
          admin.post("/v1/keys", "{'name':'reader','scopes':['read']}").body().get("key").asText();
      KeyClient onSecond = new KeyClient(second, reader);
      await().atMost(Duration.ofSeconds(5)).until(() -> onSecond.get("/v1/buses").status() == 200);

      String id = reader.substring(0, reader.indexOf('.'));
      assertThat(admin.delete("/v1/keys/" + id).status()).isEqualTo(204);

      // the change feed carries the revocation; the periodic reload (10 s) would be too late
      await().atMost(Duration.ofSeconds(5)).until(() -> onSecond.get("/v1/buses").status() == 401);
    }
  }

  private static HeraldConfig config(
      Optional<String> bootstrap, TestPostgres.Schema schema, String key) {
    return new HeraldConfig(
        TestHerald.tempDir(),
        "127.0.0.1",
        0,
        false,
        bootstrap,
        Optional.of(schema.jdbcUrl()),
        4,
        Optional.of(key));
  }
}
