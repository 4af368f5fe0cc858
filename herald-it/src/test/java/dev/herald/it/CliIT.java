package dev.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteConfig;

/**
 * The herald command as a user runs it, against one running Herald: publish, events, dlq, targets,
 * audit and analytics.
 */
class CliIT {
  private static Path dir;
  private static HeraldProcess herald;

  @BeforeAll
  static void start() throws IOException {
    dir = Files.createTempDirectory("herald-cli-it");
    herald = HeraldProcess.start(dir.resolve("data"));
    herald.awaitReady(Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  record Run(int exit, String out, String err) {}

  static Run herald(String... args) throws Exception {
    Process process =
        new ProcessBuilder(HeraldProcess.javaCommand(args))
            .redirectError(ProcessBuilder.Redirect.PIPE)
            .start();
    byte[] out = process.getInputStream().readAllBytes();
    byte[] err = process.getErrorStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(
        process.exitValue(),
        new String(out, StandardCharsets.UTF_8).trim(),
        new String(err, StandardCharsets.UTF_8).trim());
  }

  @Test
  void replayStartThenStatusFollowsItToCompletion() throws Exception {
    var published =
        herald.post(
            "/v1/events",
            "{\"entries\":[{\"bus\":\"default\",\"source\":\"replay.cli\","
                + "\"detailType\":\"T\",\"detail\":{}}]}");
    assertThat(published.statusCode()).as(published.body()).isEqualTo(200);
    String eventId = HeraldProcess.json(published).at("/entries/0/eventId").asText();
    java.time.Instant ingested =
        java.time.Instant.parse(
            HeraldProcess.json(herald.get("/v1/events/" + eventId))
                .at("/event/ingestedAt")
                .asText());
    HeraldProcess.sleep(5);
    String to = java.time.Instant.now().toString();
    Run start =
        herald(
            "replay",
            "start",
            "--url",
            herald.url(),
            "--bus",
            "default",
            "--name",
            "cli-replay",
            "--from",
            ingested.toString(),
            "--to",
            to);
    assertThat(start.exit()).as(start.err()).isZero();
    assertThat(HeraldProcess.JSON.readTree(start.out()).get("name").asText())
        .isEqualTo("cli-replay");

    Run status =
        herald("replay", "status", "--url", herald.url(), "--bus", "default", "cli-replay");
    assertThat(status.exit()).as(status.err()).isZero();
    assertThat(status.out()).startsWith("replay cli-replay of bus default: completed, 1 of 1");
  }

  @Test
  void helpListsTheCommands() throws Exception {
    Run help = herald("--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("serve", "publish", "events");
    assertThat(herald("serve", "--help").out())
        .contains("--data-dir", "--port", "--fsync", "HERALD_KAFKA_BOOTSTRAP");
  }

  @Test
  void publishPrintsTheEventIdAndEventsGetPrintsTheEvent() throws Exception {
    Run publish =
        herald(
            "publish",
            "--url",
            herald.url(),
            "--source",
            "shop.orders",
            "--detail-type",
            "OrderPlaced",
            "--detail",
            "{\"orderId\":\"o-9\"}",
            "--ordering-key",
            "o-9");
    assertThat(publish.exit()).as(publish.err()).isZero();
    assertThat(publish.out()).matches("[0-9A-Z]{26}");

    Run get = herald("events", "get", "--url", herald.url(), publish.out());
    assertThat(get.exit()).as(get.err()).isZero();
    var json = HeraldProcess.JSON.readTree(get.out());
    assertThat(json.at("/event/detail/orderId").asText()).isEqualTo("o-9");
    assertThat(json.at("/event/orderingKey").asText()).isEqualTo("o-9");
    assertThat(json.get("deliveries").isArray()).isTrue();
  }

  @Test
  void publishReportsAnInvalidEntryAndFailsClearly() throws Exception {
    Run bad =
        herald(
            "publish",
            "--url",
            herald.url(),
            "--source",
            "s",
            "--detail-type",
            "T",
            "--detail",
            "[1]");
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).contains("InvalidField", "detail");

    Run missing = herald("events", "get", "--url", herald.url(), "0000000000000000000000000Z");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("no event");
  }

  @Test
  void dlqCommandsListRedriveAndPurgeDeadLetters() throws Exception {
    var receiver =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress("127.0.0.1", 0), 64);
    receiver.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(400, -1); // permanent: a dead letter after one attempt
          exchange.close();
        });
    receiver.start();
    try {
      String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
      assertThat(
              herald
                  .put(
                      "/v1/targets/rejecting",
                      "{\"type\":\"webhook\",\"webhook\":{\"url\":\"" + url + "\"}}")
                  .statusCode())
          .isEqualTo(200);
      assertThat(
              herald
                  .put(
                      "/v1/buses/default/rules/rejecting",
                      "{\"pattern\":{\"source\":[\"cli.dlq\"]},\"targets\":[{\"target\":\"rejecting\"}]}")
                  .statusCode())
          .isEqualTo(200);
      herald.post(
          "/v1/events",
          "{\"entries\":[{\"source\":\"cli.dlq\",\"detailType\":\"T\",\"detail\":{}}]}");

      Run list = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        list = herald("dlq", "list", "rejecting", "--url", herald.url(), "--json");
        if (list.exit() == 0 && !list.out().isBlank()) {
          break;
        }
        Thread.sleep(500);
      }
      assertThat(list.exit()).as(list.err()).isZero();
      var entry = HeraldProcess.JSON.readTree(list.out().lines().findFirst().orElseThrow());
      assertThat(entry.at("/error/code").asText()).isEqualTo("HttpStatus400");

      Run get = herald("dlq", "get", "rejecting", entry.get("id").asText(), "--url", herald.url());
      assertThat(get.exit()).as(get.err()).isZero();
      assertThat(get.out()).contains("HttpStatus400");

      Run purge = herald("dlq", "purge", "rejecting", "--all", "--url", herald.url());
      assertThat(purge.exit()).as(purge.err()).isZero();
      assertThat(purge.out()).contains("purged 1");

      Run unknown = herald("dlq", "list", "no-such-target", "--url", herald.url());
      assertThat(unknown.exit()).isEqualTo(1);
      assertThat(unknown.err()).contains("TargetNotFound");
    } finally {
      receiver.stop(0);
    }
  }

  @Test
  void targetsGetShowsTheLiveStateAndResumeReEnablesADisabledTarget() throws Exception {
    assertThat(
            herald
                .put("/v1/targets/paused-log", "{\"type\":\"log\",\"enabled\":false}")
                .statusCode())
        .isEqualTo(200);
    Run get = herald("targets", "get", "paused-log", "--url", herald.url());
    assertThat(get.exit()).as(get.err()).isZero();
    assertThat(HeraldProcess.JSON.readTree(get.out()).get("enabled").asBoolean()).isFalse();

    Run resume = herald("targets", "resume", "paused-log", "--url", herald.url());
    assertThat(resume.exit()).as(resume.err()).isZero();
    assertThat(resume.out()).contains("resumed");
    Run after = herald("targets", "get", "paused-log", "--url", herald.url());
    assertThat(HeraldProcess.JSON.readTree(after.out()).get("enabled").asBoolean()).isTrue();

    Run unknown = herald("targets", "resume", "no-such-target", "--url", herald.url());
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("TargetNotFound");
  }

  @Test
  void orderingKeyIsTheKafkaKeyAndKeepsPublishOrder() throws Exception {
    for (int i = 0; i < 20; i++) {
      var answer =
          herald.post(
              "/v1/events",
              "{\"entries\":[{\"source\":\"s\",\"detailType\":\"Seq\",\"orderingKey\":\"cust-42\",\"detail\":{\"seq\":"
                  + i
                  + "}}]}");
      assertThat(HeraldProcess.json(answer).at("/entries/0/eventId").asText()).isNotEmpty();
    }
    List<ConsumerRecord<byte[], byte[]>> records =
        BusTopicReader.readAll(
            herald.runtime().getProperty("kafka.bootstrap"), "herald.bus.default");
    List<Integer> sequence = new ArrayList<>();
    for (var record : records) {
      if (record.key() != null
          && new String(record.key(), StandardCharsets.UTF_8).equals("cust-42")) {
        sequence.add(HeraldProcess.JSON.readTree(record.value()).at("/detail/seq").asInt());
      }
    }
    assertThat(sequence)
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20).boxed().toList());
  }

  // --- audit ---

  private static List<JsonNode> lines(String text) throws Exception {
    List<JsonNode> entries = new ArrayList<>();
    for (String line : text.lines().filter(l -> !l.isBlank()).toList()) {
      entries.add(HeraldProcess.JSON.readTree(line));
    }
    return entries;
  }

  @Test
  void verifyPassesExportWritesJsonLinesAndVerifyFailsOnAnEditedEntry() throws Exception {
    assertThat(herald.put("/v1/targets/ledger", "{\"type\":\"audit\"}").statusCode())
        .isEqualTo(200);
    assertThat(
            herald
                .put(
                    "/v1/buses/default/rules/ledger",
                    "{\"pattern\":{\"source\":[\"shop.orders\"]},\"targets\":[{\"target\":\"ledger\"}]}")
                .statusCode())
        .isEqualTo(200);
    for (int i = 0; i < 4; i++) {
      herald.post(
          "/v1/events",
          "{\"entries\":[{\"source\":\"shop.orders\",\"detailType\":\"OrderPlaced\",\"detail\":{\"n\":"
              + i
              + "}}]}");
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (HeraldProcess.json(herald.get("/v1/audit")).get("entries").size() < 4
        && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }

    Run valid = herald("audit", "verify", "--url", herald.url());
    assertThat(valid.exit()).as(valid.err()).isZero();
    assertThat(valid.out()).matches("valid: 4 entries, head [0-9a-f]{64}");

    Path file = dir.resolve("audit.jsonl");
    Run export = herald("audit", "export", "--url", herald.url(), "--output", file.toString());
    assertThat(export.exit()).as(export.err()).isZero();
    assertThat(export.err()).contains("exported 4 audit entries");
    List<JsonNode> exported = lines(Files.readString(file));
    assertThat(exported).extracting(e -> e.get("seq").asLong()).containsExactly(1L, 2L, 3L, 4L);
    assertThat(exported.get(1).get("prevHash")).isEqualTo(exported.get(0).get("hash"));
    assertThat(valid.out()).endsWith(exported.getLast().get("hash").asText());

    String from = exported.get(2).get("recordedAt").asText();
    Run since = herald("audit", "export", "--url", herald.url(), "--from", from);
    assertThat(since.exit()).as(since.err()).isZero();
    assertThat(lines(since.out()))
        .extracting(e -> e.get("seq").asLong())
        .containsExactlyElementsOf(
            exported.stream()
                .filter(e -> e.get("recordedAt").asText().compareTo(from) >= 0)
                .map(e -> e.get("seq").asLong())
                .toList());

    Run bad = herald("audit", "export", "--url", herald.url(), "--from", "yesterday");
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).contains("InvalidField", "(field from)");

    try (Connection db = sqlite();
        Statement s = db.createStatement()) {
      s.execute("DROP TRIGGER audit_log_no_update");
      s.executeUpdate(
          "UPDATE audit_log SET envelope = replace(envelope, 'OrderPlaced', 'OrderVoided')"
              + " WHERE seq = 2");
    }
    Run broken = herald("audit", "verify", "--url", herald.url());
    assertThat(broken.exit()).isEqualTo(3);
    assertThat(broken.out())
        .startsWith("BROKEN at seq 2: event hash mismatch (1 entries verified before it)")
        .contains("OrderVoided");
  }

  private static Connection sqlite() throws Exception {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(10_000);
    return config.createConnection("jdbc:sqlite:" + dir.resolve("data").resolve("herald.db"));
  }

  // --- analytics ---

  private static final String RANGE_FROM = "2026-11-26T10:00:00Z";
  private static final String RANGE_TO = "2026-11-26T11:00:00Z";

  private static long total(String json) throws Exception {
    long total = 0;
    for (JsonNode series : HeraldProcess.JSON.readTree(json).get("series")) {
      total += series.get("total").asLong();
    }
    return total;
  }

  @Test
  void eventsRoutedToAnAnalyticsTargetAreCountedAndPrinted() throws Exception {
    assertThat(herald.put("/v1/targets/stats", "{\"type\":\"analytics\"}").statusCode())
        .isEqualTo(200);
    assertThat(
            herald
                .put(
                    "/v1/buses/default/rules/stats",
                    "{\"pattern\":{\"source\":[\"cli.analytics\"]},\"targets\":[{\"target\":\"stats\"}]}")
                .statusCode())
        .isEqualTo(200);
    String entry =
        "{\"source\":\"cli.analytics\",\"detailType\":\"%s\",\"time\":\"2026-11-26T10:00:05Z\",\"detail\":{}}";
    herald.post(
        "/v1/events",
        "{\"entries\":["
            + String.join(
                ",",
                entry.formatted("OrderPlaced"),
                entry.formatted("OrderPlaced"),
                entry.formatted("OrderPlaced"),
                entry.formatted("OrderShipped"))
            + "]}");

    Run json = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      json = counts("--json");
      if (json.exit() == 0 && total(json.out()) == 4) {
        break;
      }
      Thread.sleep(500);
    }
    assertThat(json.exit()).as(json.err()).isZero();
    assertThat(total(json.out())).isEqualTo(4);

    Run table = counts();
    assertThat(table.exit()).as(table.err()).isZero();
    assertThat(table.out().lines())
        .contains(
            "TIME                  OrderPlaced  OrderShipped",
            "2026-11-26T10:00:00Z            3             1");
    assertThat(dir.resolve("data").resolve("analytics.duckdb")).isRegularFile();

    Run bad = counts("--interval", "5m");
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).contains("--interval", "1m, 1h or 1d");
  }

  private static Run counts(String... more) throws Exception {
    String[] args = {
      "analytics", "counts", "--url", herald.url(), "--from", RANGE_FROM, "--to", RANGE_TO
    };
    String[] all = new String[args.length + more.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return herald(all);
  }
}
