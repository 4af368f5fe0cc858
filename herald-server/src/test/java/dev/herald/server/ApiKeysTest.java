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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * API keys against a real Herald started with a bootstrap admin key (so auth is on): every scope
 * decision, the secret shown once, import, revocation, the last admin key kept, the key id (never
 * the secret) in the log of every admin change.
 */
class ApiKeysTest {
  static final KeyToken BOOTSTRAP = new KeyToken("hk_boot", "bootstrap-secret-0123456789");

  static Herald herald;
  static KeyClient admin;
  static KeyClient anonymous;

  @BeforeAll
  static void start() {
    herald =
        Herald.start(
            HeraldConfig.embedded(TestHerald.tempDir()).withPort(0),
            SecuritySettings.defaults().withBootstrapKey(BOOTSTRAP));
    admin = new KeyClient(herald, BOOTSTRAP.text());
    anonymous = admin.as(null);
    assertThat(admin.put("/v1/buses/orders", "{}").status()).isEqualTo(200);
    assertThat(
            admin
                .put("/v1/targets/jobs", "{'type':'queue','queue':{'visibilitySeconds':30}}")
                .status())
        .isEqualTo(200);
    assertThat(admin.put("/v1/targets/other-jobs", "{'type':'queue'}").status()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  /** Creates a key with these scopes (as the bootstrap admin) and returns a client using it. */
  static KeyClient keyWith(String... scopes) {
    String list = String.join("','", scopes);
    var created = admin.post("/v1/keys", "{'name':'test','scopes':['" + list + "']}");
    assertThat(created.status()).as(String.valueOf(created.body())).isEqualTo(201);
    return admin.as(created.body().get("key").asText());
  }

  private static void assertForbidden(KeyClient.Answer answer, String scope) {
    assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(403);
    assertThat(answer.code()).isEqualTo("Forbidden");
    assertThat(answer.message()).contains("'" + scope + "'");
  }

  private static void assertUnauthorized(KeyClient.Answer answer) {
    assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(401);
    assertThat(answer.code()).isEqualTo("Unauthorized");
    assertThat(answer.raw().headers().firstValue("WWW-Authenticate"))
        .contains("Bearer realm=\"herald\"");
  }

  @Test
  void theConsoleFilesNeedNoKeyButItsDataAndTheTailDo() {
    assertThat(anonymous.get("/console/").status()).isEqualTo(200);
    assertThat(anonymous.get("/console/app.js").status()).isEqualTo(200);
    assertUnauthorized(anonymous.get("/v1/stats"));
    assertUnauthorized(anonymous.get("/v1/events?source=x"));
    assertUnauthorized(anonymous.get("/v1/buses/default/tail"));
    assertUnauthorized(admin.as("hk_boot.wrong-secret-0123456789").get("/v1/buses/default/tail"));
    KeyClient reader = keyWith("read");
    assertThat(reader.get("/v1/stats").status()).isEqualTo(200);
    assertThat(reader.get("/v1/events?source=x").status()).isEqualTo(200);
    assertForbidden(reader.post("/v1/targets/jobs/dlq/redrive", "{'all':true}"), "admin");
  }

  @Test
  void cloudEventsNeedThePublishScopeOfTheirBus() {
    KeyClient orders = keyWith("publish:orders");
    String event = "{'specversion':'1.0','id':'k-1','source':'s','type':'T'}".replace('\'', '"');
    java.util.function.BiFunction<KeyClient, String, KeyClient.Answer> post =
        (client, query) ->
            client.raw(
                client
                    .request("/v1/cloudevents" + query)
                    .header("Content-Type", "application/cloudevents+json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(event)));
    assertThat(post.apply(orders, "?bus=orders").status()).isEqualTo(200);
    KeyClient.Answer otherBus = post.apply(orders, "");
    assertForbidden(otherBus, "publish:default");
    assertThat(otherBus.body().at("/error/field").asText()).isEqualTo("bus");
    assertForbidden(post.apply(keyWith("read"), "?bus=orders"), "publish:*");
    assertUnauthorized(post.apply(anonymous, "?bus=orders"));
  }

  @Test
  void withoutAKeyOnlyHealthAnswers() {
    assertThat(anonymous.get("/health/live").status()).isEqualTo(200);
    assertThat(anonymous.get("/health/ready").status()).isIn(200, 503);
    assertUnauthorized(anonymous.get("/metrics"));
    assertUnauthorized(anonymous.get("/v1/buses"));
    assertUnauthorized(anonymous.post("/v1/events", "{'entries':[]}"));
    assertUnauthorized(anonymous.get("/v1/no-such-thing"));
    assertUnauthorized(anonymous.delete("/v1/buses/orders"));
    assertThat(anonymous.get("/v1/buses").message()).contains("Authorization: Bearer");
  }

  @Test
  void malformedUnknownAndWrongKeysAreUnauthorized() {
    assertUnauthorized(admin.as("no-dot-at-all").get("/v1/buses"));
    assertUnauthorized(admin.as("hk_boot.short").get("/v1/buses"));
    assertUnauthorized(admin.as("hk_nobody.bootstrap-secret-0123456789").get("/v1/buses"));
    assertUnauthorized(admin.as("hk_boot.bootstrap-secret-0123456780").get("/v1/buses"));
    var basic =
        anonymous.raw(anonymous.request("/v1/buses").header("Authorization", "Basic Zm9vOmJhcg=="));
    assertUnauthorized(basic);
    assertThat(admin.as("hk_nobody.bootstrap-secret-0123456789").get("/v1/buses").message())
        .contains("hk_nobody")
        .doesNotContain("bootstrap-secret");
  }

  @Test
  void aReadKeyReadsEverythingAndChangesNothing() {
    KeyClient reader = keyWith("read");

    assertThat(reader.get("/v1/buses").status()).isEqualTo(200);
    assertThat(reader.get("/v1/targets/jobs").status()).isEqualTo(200);
    assertThat(reader.get("/v1/keys").status()).isEqualTo(200);
    assertThat(reader.get("/v1/queues/jobs").status()).isEqualTo(200);
    assertThat(reader.get("/metrics").status()).isEqualTo(200);
    assertThat(reader.get("/v1/no-such-thing").status()).isEqualTo(404);
    assertThat(
            reader
                .post("/v1/test-pattern", "{'pattern':{'source':['a']},'event':{'source':'a'}}")
                .status())
        .isIn(200, 400);
    assertForbidden(reader.put("/v1/buses/sneaky", "{}"), "admin");
    assertForbidden(reader.delete("/v1/targets/jobs"), "admin");
    assertForbidden(reader.post("/v1/keys", "{'name':'x','scopes':['admin']}"), "admin");
    assertForbidden(reader.post("/v1/queues/jobs/receive", "{}"), "queue:jobs");
    assertForbidden(
        reader.post("/v1/events", "{'entries':[{'source':'s','detailType':'t','detail':{}}]}"),
        "publish:*");
  }

  @Test
  void aPublishKeyPublishesOnlyToItsBus() {
    KeyClient orders = keyWith("publish:orders");

    var ok =
        orders.post(
            "/v1/events",
            "{'entries':[{'bus':'orders','source':'s','detailType':'t','detail':{}}]}");
    assertThat(ok.status()).as(String.valueOf(ok.body())).isEqualTo(200);
    assertThat(ok.body().get("failedEntryCount").asInt()).isZero();

    var otherBus =
        orders.post(
            "/v1/events",
            "{'entries':[{'bus':'orders','source':'s','detailType':'t','detail':{}},"
                + "{'source':'s','detailType':'t','detail':{}}]}");
    assertForbidden(otherBus, "publish:default");
    assertThat(otherBus.body().at("/error/field").asText()).isEqualTo("entries[1].bus");
    assertForbidden(orders.get("/v1/buses"), "read");
    assertForbidden(orders.post("/v1/queues/jobs/receive", "{}"), "queue:jobs");
    assertForbidden(orders.get("/metrics"), "read");
  }

  @Test
  void aPublishAnyKeyPublishesToEveryBus() {
    KeyClient any = keyWith("publish:*");

    var answer =
        any.post(
            "/v1/events",
            "{'entries':[{'bus':'orders','source':'s','detailType':'t','detail':{}},"
                + "{'source':'s','detailType':'t','detail':{}}]}");

    assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(200);
    assertThat(answer.body().get("failedEntryCount").asInt()).isZero();
  }

  @Test
  void aQueueKeyWorksOnlyItsQueue() {
    KeyClient jobs = keyWith("queue:jobs");

    var received = jobs.post("/v1/queues/jobs/receive", "{'waitSeconds':0}");
    assertThat(received.status()).as(String.valueOf(received.body())).isEqualTo(200);
    assertThat(jobs.get("/v1/queues/jobs").status()).isEqualTo(200);
    assertForbidden(jobs.post("/v1/queues/other-jobs/receive", "{}"), "queue:other-jobs");
    assertForbidden(jobs.get("/v1/queues/other-jobs"), "queue:other-jobs");
    assertForbidden(jobs.get("/v1/targets/jobs"), "read");

    KeyClient every = keyWith("queue:*");
    var anyQueue = every.post("/v1/queues/other-jobs/receive", "{'waitSeconds':0}");
    assertThat(anyQueue.status()).as(String.valueOf(anyQueue.body())).isEqualTo(200);
  }

  @Test
  void theSecretIsShownOnlyWhenTheKeyIsCreated() {
    var created =
        admin.post("/v1/keys", "{'name':'orders-service','scopes':['publish:orders','read']}");

    assertThat(created.status()).isEqualTo(201);
    String id = created.body().get("id").asText();
    String key = created.body().get("key").asText();
    assertThat(id).startsWith("hk_");
    assertThat(key).startsWith(id + ".");
    assertThat(created.body().get("scopes")).hasSize(2);
    assertThat(created.body().get("changedBy").asText()).isEqualTo(BOOTSTRAP.id());
    String secret = key.substring(id.length() + 1);

    var listed = admin.get("/v1/keys");
    assertThat(listed.raw().body()).contains(id).doesNotContain(secret);
    var one = admin.get("/v1/keys/" + id);
    assertThat(one.body().get("name").asText()).isEqualTo("orders-service");
    assertThat(one.raw().body()).doesNotContain(secret);
    assertThat(one.body().has("key")).isFalse();
  }

  @Test
  void aKeyRecordsWhenItWasLastUsed() {
    KeyClient reader = keyWith("read");
    String id = reader.key().substring(0, reader.key().indexOf('.'));
    assertThat(admin.get("/v1/keys/" + id).body().get("lastUsedAt").isNull()).isTrue();

    reader.get("/v1/buses");

    assertThat(admin.get("/v1/keys/" + id).body().get("lastUsedAt").isTextual()).isTrue();
  }

  @Test
  void aRevokedKeyStopsWorking() {
    KeyClient reader = keyWith("read");
    String id = reader.key().substring(0, reader.key().indexOf('.'));
    assertThat(reader.get("/v1/buses").status()).isEqualTo(200);

    assertThat(admin.delete("/v1/keys/" + id).status()).isEqualTo(204);

    assertUnauthorized(reader.get("/v1/buses"));
    assertThat(admin.delete("/v1/keys/" + id).status()).isEqualTo(404);
    assertThat(admin.get("/v1/keys").raw().body()).doesNotContain(id);
  }

  @Test
  void anImportedKeyWorksWithTheSecretItWasGiven() {
    var imported =
        admin.put(
            "/v1/keys/hk_imported",
            "{'name':'ci','scopes':['read'],'secret':'imported-secret-0123456789'}");

    assertThat(imported.status()).as(String.valueOf(imported.body())).isEqualTo(200);
    assertThat(imported.raw().body()).doesNotContain("imported-secret");
    KeyClient ci = admin.as("hk_imported.imported-secret-0123456789");
    assertThat(ci.get("/v1/buses").status()).isEqualTo(200);

    // importing again rotates the secret: the old one stops working
    admin.put(
        "/v1/keys/hk_imported",
        "{'name':'ci','scopes':['read'],'secret':'rotated-secret-0123456789'}");
    assertUnauthorized(ci.get("/v1/buses"));
    assertThat(admin.as("hk_imported.rotated-secret-0123456789").get("/v1/buses").status())
        .isEqualTo(200);
  }

  @Test
  void badKeyRequestsNameTheField() {
    assertThat(
            admin
                .post("/v1/keys", "{'name':'x','scopes':['write']}")
                .body()
                .at("/error/field")
                .asText())
        .isEqualTo("scopes[0]");
    assertThat(
            admin.post("/v1/keys", "{'name':'x','scopes':[]}").body().at("/error/field").asText())
        .isEqualTo("scopes");
    assertThat(admin.post("/v1/keys", "{'scopes':['read']}").body().at("/error/field").asText())
        .isEqualTo("name");
    assertThat(admin.post("/v1/keys", "{'name':'x','scopes':['read'],'key':'k'}").status())
        .isEqualTo(400);
    assertThat(
            admin
                .put("/v1/keys/hk_x", "{'name':'x','scopes':['read'],'secret':'short'}")
                .body()
                .at("/error/field")
                .asText())
        .isEqualTo("secret");
    assertThat(
            admin
                .put(
                    "/v1/keys/bad.id",
                    "{'name':'x','scopes':['read'],'secret':'long-enough-secret-123'}")
                .status())
        .isEqualTo(400);
  }

  @Test
  void theLastAdminKeyCannotBeRevokedOrDemoted() {
    var revoke = admin.delete("/v1/keys/" + BOOTSTRAP.id());
    assertThat(revoke.status()).isEqualTo(409);
    assertThat(revoke.code()).isEqualTo("LastAdminKey");
    var demote =
        admin.put(
            "/v1/keys/" + BOOTSTRAP.id(),
            "{'name':'boot','scopes':['read'],'secret':'" + BOOTSTRAP.secret() + "'}");
    assertThat(demote.status()).isEqualTo(409);
    assertThat(admin.get("/v1/buses").status()).isEqualTo(200);
  }

  @Test
  void everyAdminChangeIsLoggedWithTheKeyIdNeverTheSecret() {
    Logger logger = (Logger) LoggerFactory.getLogger("dev.herald.server.auth");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    Level before = logger.getLevel();
    logger.setLevel(Level.INFO);
    logger.addAppender(appender);
    try {
      KeyClient second = keyWith("admin");
      String id = second.key().substring(0, second.key().indexOf('.'));
      second.put("/v1/buses/logged", "{}");
      second.delete("/v1/buses/no-such-bus");
      // the line is logged once the answer is sent: wait for it
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                synchronized (appender) { // the appender appends under its own lock
                  return appender.list.stream()
                      .anyMatch(e -> e.getFormattedMessage().contains("no-such-bus"));
                }
              });

      List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
      assertThat(lines)
          .anyMatch(l -> l.contains("PUT /v1/buses/logged") && l.contains("key " + id))
          .anyMatch(
              l ->
                  l.contains("DELETE /v1/buses/no-such-bus answered 404")
                      && l.contains("key " + id))
          .anyMatch(l -> l.contains("API key " + id) && l.contains("by key " + BOOTSTRAP.id()))
          .noneMatch(l -> l.contains(BOOTSTRAP.secret()))
          .noneMatch(l -> l.contains(second.key().substring(id.length() + 1)));
    } finally {
      logger.detachAppender(appender);
      logger.setLevel(before);
    }
  }

  @Test
  void dotSegmentsAndEncodingsDoNotReachAnotherPathWithoutItsScope() throws Exception {
    for (String path :
        List.of(
            "/health/../v1/buses/evil",
            "/health/%2e%2e/v1/buses/evil",
            "/health/live/../../v1/buses/evil",
            "/metrics/../v1/buses/evil",
            "/v1/queues/jobs/../../buses/evil",
            "//v1/buses/evil",
            "/v1/events/../buses/evil")) {
      String status = rawPut(path);
      assertThat(status).as(path).startsWith("HTTP/1.1 ").doesNotStartWith("HTTP/1.1 2");
    }
    assertThat(admin.get("/v1/buses/evil").status()).isEqualTo(404);
  }

  /** A PUT with the path sent byte for byte (no client normalizes it), without a key. */
  private static String rawPut(String path) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", herald.port())) {
      socket.setSoTimeout(10_000);
      String body = "{}";
      String request =
          "PUT "
              + path
              + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              + "Content-Length: "
              + body.length()
              + "\r\nConnection: close\r\n\r\n"
              + body;
      socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII))
          .readLine(); // the status line
    }
  }
}
