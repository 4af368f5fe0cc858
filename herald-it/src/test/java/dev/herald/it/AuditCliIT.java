package dev.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteConfig;

/** {@code herald audit verify|export} as a user runs them, against a running Herald. */
class AuditCliIT {
  private static Path dir;
  private static HeraldProcess herald;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("herald-audit-cli-it");
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
}
