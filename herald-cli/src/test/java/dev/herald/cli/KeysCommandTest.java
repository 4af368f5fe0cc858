package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.auth.KeyToken;
import dev.herald.server.Herald;
import dev.herald.server.HeraldConfig;
import dev.herald.server.SecuritySettings;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code herald keys} and {@code --key} against a real Herald whose auth is on. */
class KeysCommandTest {
  static final KeyToken ADMIN = new KeyToken("hk_cliadmin", "cli-admin-secret-0123456789");
  static Herald herald;
  static String url;

  @BeforeAll
  static void start() throws IOException {
    herald =
        Herald.start(
            HeraldConfig.embedded(Files.createTempDirectory("herald-cli-keys")).withPort(0),
            SecuritySettings.defaults().withBootstrapKey(ADMIN));
    url = "http://127.0.0.1:" + herald.port();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  /**
   * The last line the command printed: the in-process server logs to the same stdout before the
   * command prints its answer.
   */
  private static String printed(CliRun run) {
    return run.out().lines().reduce((a, b) -> b).orElseThrow();
  }

  @Test
  void createPrintsTheKeyOnceListShowsItAndRevokeEndsIt() {
    CliRun created =
        CliRun.of(
            "keys",
            "create",
            "--name",
            "orders-service",
            "--scope",
            "publish:orders",
            "--scope",
            "read",
            "--url",
            url,
            "--key",
            ADMIN.text());
    assertThat(created.exit()).as(created.err()).isZero();
    String key = printed(created);
    KeyToken token = KeyToken.parse(key).orElseThrow();
    assertThat(created.err()).contains(token.id(), "publish:orders,read", "not shown again");

    CliRun list = CliRun.of("keys", "list", "--url", url, "--key", key);
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.out())
        .contains("ID", "LAST USED", token.id(), "orders-service", "publish:orders,read")
        .doesNotContain(token.secret());

    CliRun json = CliRun.of("keys", "list", "--json", "--url", url, "--key", ADMIN.text());
    assertThat(json.out().lines()).anyMatch(l -> l.contains("\"id\":\"" + token.id() + "\""));

    CliRun revoked = CliRun.of("keys", "revoke", token.id(), "--url", url, "--key", ADMIN.text());
    assertThat(revoked.exit()).as(revoked.err()).isZero();
    assertThat(revoked.out()).contains("revoked " + token.id());

    CliRun after = CliRun.of("keys", "list", "--url", url, "--key", key);
    assertThat(after.exit()).isEqualTo(1);
    assertThat(after.err()).contains("Unauthorized");
  }

  @Test
  void everyCommandSendsTheKeyAndReportsAMissingOrWeakOne() {
    CliRun without =
        CliRun.of("publish", "--source", "s", "--detail-type", "t", "--detail", "{}", "--url", url);
    assertThat(without.exit()).isEqualTo(1);
    assertThat(without.err()).contains("Unauthorized");

    CliRun with =
        CliRun.of(
            "publish",
            "--source",
            "s",
            "--detail-type",
            "t",
            "--detail",
            "{}",
            "--url",
            url,
            "--key",
            ADMIN.text());
    assertThat(with.exit()).as(with.err()).isZero();
    String eventId = printed(with);

    CliRun get = CliRun.of("events", "get", eventId, "--url", url, "--key", ADMIN.text());
    assertThat(get.exit()).as(get.err()).isZero();
    assertThat(get.out()).contains(eventId);

    String publisher =
        printed(
            CliRun.of(
                "keys",
                "create",
                "--name",
                "p",
                "--scope",
                "publish:*",
                "--url",
                url,
                "--key",
                ADMIN.text()));
    CliRun forbidden = CliRun.of("dlq", "list", "some-target", "--url", url, "--key", publisher);
    assertThat(forbidden.exit()).isEqualTo(1);
    assertThat(forbidden.err()).contains("Forbidden", "'read'");
    CliRun audit = CliRun.of("audit", "verify", "--url", url, "--key", publisher);
    assertThat(audit.exit()).isEqualTo(1);
    assertThat(audit.err()).contains("Forbidden");
  }

  @Test
  void revokingAnUnknownKeyAndBadScopesFailClearly() {
    CliRun unknown = CliRun.of("keys", "revoke", "hk_nobody", "--url", url, "--key", ADMIN.text());
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("KeyNotFound");

    CliRun bad =
        CliRun.of(
            "keys",
            "create",
            "--name",
            "x",
            "--scope",
            "write",
            "--url",
            url,
            "--key",
            ADMIN.text());
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).contains("unknown scope 'write'");

    CliRun missing = CliRun.of("keys", "create", "--name", "x", "--url", url);
    assertThat(missing.exit()).isEqualTo(Main.USAGE);
    assertThat(missing.err()).contains("--scope");
  }
}
