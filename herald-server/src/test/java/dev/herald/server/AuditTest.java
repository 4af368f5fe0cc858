package dev.herald.server;

import static dev.herald.server.TestHerald.get;
import static dev.herald.server.TestHerald.postJson;
import static dev.herald.server.TestHerald.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.engine.router.TargetHeaders;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteConfig;

/**
 * The audit target end to end on a real Herald: routed events become chained entries, listed and
 * verified over HTTP; a redelivered delivery key adds nothing; an entry edited in the SQLite file
 * is the one verify reports.
 */
class AuditTest {
  private static final String HEX64 = "[0-9a-f]{64}";

  private final Herald herald = TestHerald.shared();
  private final String id = UUID.randomUUID().toString().substring(0, 8);

  /** An audit target and a rule sending source {@code name} to it. */
  private void auditTarget(String name) {
    var target = put(herald, "/v1/targets/" + name, "{'type':'audit'}");
    assertThat(target.status()).as(String.valueOf(target.body())).isEqualTo(200);
    var rule =
        put(
            herald,
            "/v1/buses/default/rules/" + name,
            "{'pattern':{'source':['" + name + "']},'targets':[{'target':'" + name + "'}]}");
    assertThat(rule.status()).as(String.valueOf(rule.body())).isEqualTo(200);
  }

  private String publish(String source, int n) {
    var answer =
        postJson(
            herald,
            "{'entries':[{'source':'"
                + source
                + "','detailType':'Audited','detail':{'n':"
                + n
                + "},'time':'2026-11-26T10:00:00Z'}]}");
    return answer.body().at("/entries/0/eventId").asText();
  }

  /** Every entry of {@code source}, following the pages. */
  private List<JsonNode> entries(String source, int limit) {
    List<JsonNode> all = new ArrayList<>();
    String path = "/v1/audit?source=" + source + "&limit=" + limit;
    String next = null;
    do {
      JsonNode page = get(herald, path + (next == null ? "" : "&after=" + next)).body();
      page.get("entries").forEach(all::add);
      next = page.get("next").isNull() ? null : page.get("next").asText();
    } while (next != null);
    return all;
  }

  private JsonNode verify() {
    var answer = get(herald, "/v1/audit/verify");
    assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(200);
    return answer.body();
  }

  @Test
  void routedEventsAreListedInOrderWithTheirHashesAndTheChainVerifies() {
    String name = "audit-" + id;
    auditTarget(name);
    Set<String> published = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      published.add(publish(name, i));
    }

    await().atMost(Duration.ofSeconds(60)).until(() -> entries(name, 100).size() == 5);
    List<JsonNode> entries = entries(name, 2);

    assertThat(entries)
        .extracting(e -> e.get("eventId").asText())
        .containsExactlyInAnyOrderElementsOf(published);
    assertThat(entries).extracting(e -> e.get("seq").asLong()).isSorted().doesNotHaveDuplicates();
    for (JsonNode e : entries) {
      assertThat(e.get("bus").asText()).isEqualTo("default");
      assertThat(e.get("source").asText()).isEqualTo(name);
      assertThat(e.get("detailType").asText()).isEqualTo("Audited");
      assertThat(e.get("time").asText()).isEqualTo("2026-11-26T10:00:00Z");
      assertThat(e.at("/event/id").asText()).isEqualTo(e.get("eventId").asText());
      assertThat(e.at("/event/detail-type").asText()).isEqualTo("Audited");
      assertThat(e.get("deliveryKey").asText()).matches("[0-9a-f]{32}");
      assertThat(e.get("eventHash").asText()).matches(HEX64);
      assertThat(e.get("prevHash").asText()).matches(HEX64);
      assertThat(e.get("hash").asText()).matches(HEX64);
      assertThat(Instant.parse(e.get("recordedAt").asText()))
          .isBefore(Instant.now().plusSeconds(1));
    }
    JsonNode previous =
        get(
                herald,
                "/v1/audit?after=" + cursor(entries.get(1).get("seq").asLong() - 1) + "&limit=1")
            .body();
    assertThat(previous.at("/entries/0/hash")).isEqualTo(entries.get(1).get("hash"));
    JsonNode before =
        get(
                herald,
                "/v1/audit?after=" + cursor(entries.get(1).get("seq").asLong() - 2) + "&limit=1")
            .body();
    assertThat(entries.get(1).get("prevHash")).isEqualTo(before.at("/entries/0/hash"));

    JsonNode result = verify();
    assertThat(result.get("valid").asBoolean()).as(result.toString()).isTrue();
    assertThat(result.get("entries").asLong())
        .isGreaterThanOrEqualTo(entries.getLast().get("seq").asLong());
    assertThat(result.get("head").asText()).matches(HEX64);
  }

  @Test
  void aDeliveryRedeliveredWithTheSameKeyAddsNoEntry() throws Exception {
    String name = "audit-dup-" + id;
    auditTarget(name);
    String eventId = publish(name, 1);
    await().atMost(Duration.ofSeconds(60)).until(() -> entries(name, 100).size() == 1);
    String key = entries(name, 100).getFirst().get("deliveryKey").asText();
    await().atMost(Duration.ofSeconds(30)).until(() -> "delivered".equals(journalStatus(key)));

    // as after a crash between the append and its journal entry: the journal forgets the
    // delivery and the target record is consumed again, so the audit target runs again
    try (Connection db = database();
        Statement s = db.createStatement()) {
      s.executeUpdate("DELETE FROM journal WHERE delivery_key = '" + key + "'");
    }
    redeliver("herald.target." + name, key);

    await().atMost(Duration.ofSeconds(60)).until(() -> "delivered".equals(journalStatus(key)));
    List<JsonNode> entries = entries(name, 100);
    assertThat(entries).hasSize(1);
    assertThat(entries.getFirst().get("eventId").asText()).isEqualTo(eventId);
    assertThat(verify().get("valid").asBoolean()).isTrue();
  }

  @Test
  void anEntryEditedInTheDatabaseIsTheOneVerifyReports() throws Exception {
    String name = "audit-tamper-" + id;
    auditTarget(name);
    for (int i = 0; i < 3; i++) {
      publish(name, i);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> entries(name, 100).size() == 3);
    assertThat(verify().get("valid").asBoolean()).isTrue();
    long seq =
        entries(name, 100).stream()
            .filter(e -> e.at("/event/detail/n").asInt() == 1)
            .findFirst()
            .orElseThrow()
            .get("seq")
            .asLong();

    try (Connection db = database();
        Statement s = db.createStatement()) {
      assertThat(edit(db, seq)).isEqualTo(1);
      try {
        JsonNode result = verify();
        assertThat(result.get("valid").asBoolean()).isFalse();
        assertThat(result.get("entries").asLong()).isEqualTo(seq - 1);
        assertThat(result.has("head")).isFalse();
        assertThat(result.at("/firstBroken/seq").asLong()).isEqualTo(seq);
        assertThat(result.at("/firstBroken/reason").asText()).isEqualTo("event hash mismatch");
        assertThat(result.at("/firstBroken/entry/event/detail/n").asInt()).isEqualTo(999);
      } finally {
        restore(db, seq);
      }
    }
    assertThat(verify().get("valid").asBoolean()).isTrue();
  }

  @Test
  void badQueryParametersAreA400NamingTheField() {
    String[][] cases = {
      {"from=yesterday", "from"},
      {"to=2026-13-01T00:00:00Z", "to"},
      {"from=2026-11-26T10:00:00Z&to=2026-11-26T09:00:00Z", "to"},
      {"from=2026-11-26T10:00:00Z&to=2026-11-26T10:00:00Z", "to"},
      {"limit=0", "limit"},
      {"limit=1001", "limit"},
      {"limit=ten", "limit"},
      {"after=" + cursor(-1), "after"},
      {"after=" + dev.herald.core.config.Page.cursorAfter("abc"), "after"},
      {"after=***", "after"},
      {"source=", "source"},
      {"detailType=", "detailType"}
    };
    for (String[] c : cases) {
      var answer = get(herald, "/v1/audit?" + c[0]);
      assertThat(answer.status()).as(c[0] + " " + answer.body()).isEqualTo(400);
      assertThat(answer.body().at("/error/field").asText()).as(c[0]).isEqualTo(c[1]);
      assertThat(answer.body().at("/error/code").asText()).as(c[0]).isEqualTo("InvalidField");
    }
  }

  @Test
  void anUnknownSourceListsNothing() {
    JsonNode page = get(herald, "/v1/audit?source=nobody-" + id).body();
    assertThat(page.get("entries")).isEmpty();
    assertThat(page.get("next").isNull()).isTrue();
  }

  private static String cursor(long seq) {
    return dev.herald.core.config.Page.cursorAfter(Long.toString(seq));
  }

  // --- beneath the API: the SQLite file and the target topic ---

  private Connection database() throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(10_000);
    return config.createConnection("jdbc:sqlite:" + herald.config().dataDir().resolve("herald.db"));
  }

  private String journalStatus(String key) throws SQLException {
    try (Connection db = database();
        PreparedStatement s =
            db.prepareStatement("SELECT status FROM journal WHERE delivery_key = ?")) {
      s.setString(1, key);
      try (ResultSet row = s.executeQuery()) {
        return row.next() ? row.getString(1) : null;
      }
    }
  }

  private static final String NO_UPDATE =
      "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
          + " BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END";

  /** Drops the append-only guard and changes the detail of the entry's envelope. */
  private static int edit(Connection db, long seq) throws SQLException {
    try (Statement s = db.createStatement()) {
      s.execute("DROP TRIGGER audit_log_no_update");
      return s.executeUpdate(
          "UPDATE audit_log SET envelope = replace(envelope, '\"detail\":{\"n\":1}',"
              + " '\"detail\":{\"n\":999}') WHERE seq = "
              + seq);
    }
  }

  /** Undoes {@link #edit} and puts the guard back, for the other tests of this Herald. */
  private static void restore(Connection db, long seq) throws SQLException {
    try (Statement s = db.createStatement()) {
      s.executeUpdate(
          "UPDATE audit_log SET envelope = replace(envelope, '\"detail\":{\"n\":999}',"
              + " '\"detail\":{\"n\":1}') WHERE seq = "
              + seq);
      s.execute(NO_UPDATE);
    }
  }

  /** Writes the target record of {@code deliveryKey} to its topic once more, headers and all. */
  private void redeliver(String topic, String deliveryKey) {
    ConsumerRecord<byte[], byte[]> original = routed(topic, deliveryKey);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, herald.kafkaBootstrap());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      var unused = // flushed below
          producer.send(
              new ProducerRecord<>(
                  topic,
                  original.partition(),
                  original.key(),
                  original.value(),
                  original.headers()));
      producer.flush();
    }
  }

  private ConsumerRecord<byte[], byte[]> routed(String topic, String deliveryKey) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, herald.kafkaBootstrap());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (TargetHeaders.read(r.headers(), r.timestamp())
              .filter(meta -> meta.deliveryKey().equals(deliveryKey))
              .isPresent()) {
            return r;
          }
        }
      }
    }
    throw new AssertionError("no record of delivery " + deliveryKey + " on " + topic);
  }
}
