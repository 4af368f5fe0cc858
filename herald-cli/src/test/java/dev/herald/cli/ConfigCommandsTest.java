package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.auth.KeyToken;
import dev.herald.server.Herald;
import dev.herald.server.HeraldConfig;
import dev.herald.server.SecuritySettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code herald validate|plan|apply} with examples/herald.yaml, and {@code herald
 * buses|rules|targets|keys|status}, in this JVM against one real Herald whose auth is on.
 */
class ConfigCommandsTest {
  static final KeyToken ADMIN = new KeyToken("hk_cliconfig", "cli-config-secret-0123456789");
  static final Map<String, String> ENV =
      Map.of(
          "ORDERS_HOOK_URL", "http://127.0.0.1:9/orders",
          "ORDERS_HOOK_SECRET", "whsec_cHJvZC1zZWNyZXQtb2YtdGhlLWhvb2s=",
          "ORDERS_SERVICE_KEY", "hk_orders.orders-service-secret-0123456789");
  static Herald herald;
  static String url;
  static Path dir;
  static Path example;

  @BeforeAll
  static void start() throws IOException {
    dir = Files.createTempDirectory("herald-cli-config");
    example = dir.resolve("herald.yaml");
    Files.copy(Path.of("..", "examples", "herald.yaml"), example);
    Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(
        dir.resolve("secrets/orders-hook"), "whsec_c3RhZ2luZy1zZWNyZXQtb2YtaG9vaw==\n");
    ConfigFiles.environment = ENV::get;
    herald =
        Herald.start(
            HeraldConfig.embedded(dir.resolve("data")).withPort(0),
            SecuritySettings.defaults().withBootstrapKey(ADMIN));
    url = "http://127.0.0.1:" + herald.port();
  }

  @AfterAll
  static void stop() {
    ConfigFiles.environment = System::getenv;
    herald.close();
  }

  static CliRun herald(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--url";
    all[args.length + 1] = url;
    all[args.length + 2] = "--key";
    all[args.length + 3] = ADMIN.text();
    return CliRun.of(all);
  }

  /** What the command printed, without the in-process server's log lines (JSON) on stdout. */
  static String printed(CliRun run) {
    return String.join(
        "\n", run.out().lines().filter(line -> !line.startsWith("{\"time\"")).toList());
  }

  @Test
  void planApplyPlanAgainThenAnotherEnvironmentWithFieldDiffsAndPrune() {
    CliRun valid = CliRun.of("validate", "-f", example.toString());
    assertThat(valid.exit()).as(valid.err()).isZero();
    assertThat(valid.out()).contains("is valid for dev, staging, prod");

    CliRun plan = herald("plan", "-f", example.toString(), "--env", "dev");
    assertThat(plan.exit()).as(plan.err()).isEqualTo(2);
    assertThat(plan.out())
        .contains("+ bus orders", "+ target orders-hook", "+ rule orders/big-orders")
        .contains("+ key hk_orders", "Plan: 8 to create, 0 to update, 0 to delete.");

    CliRun apply = herald("apply", "-f", example.toString(), "--env", "dev");
    assertThat(apply.exit()).as(apply.err()).isZero();
    assertThat(apply.out()).contains("Applied: 8 to create");
    CliRun again = herald("plan", "-f", example.toString(), "--env", "dev");
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.out()).contains("No changes");

    CliRun prod = herald("plan", "-f", example.toString(), "--env", "prod", "--prune");
    assertThat(prod.exit()).as(prod.err()).isEqualTo(2);
    assertThat(prod.out())
        .contains("~ bus orders", "    archiveRetentionDays: 7 -> 30")
        .contains("~ target orders-hook", "    retry.maxAttempts: 8 -> 20")
        .contains(
            "    webhook.url: \"http://127.0.0.1:9000/hook\" -> \"http://127.0.0.1:9/orders\"")
        .contains("    webhook.secret: secret changed")
        .contains("~ rule orders/to-fulfilment", "- target order-log")
        .doesNotContain("cHJvZC1zZWNyZXQ", "ZGV2LW9ubHkt", "- key " + ADMIN.id());
    assertThat(prod.out().indexOf("~ rule orders/to-fulfilment"))
        .isLessThan(prod.out().indexOf("- target order-log"));

    CliRun applyProd = herald("apply", "-f", example.toString(), "--env", "prod", "--prune");
    assertThat(applyProd.exit()).as(applyProd.err()).isZero();
    CliRun converged = herald("plan", "-f", example.toString(), "--env", "prod", "--prune");
    assertThat(converged.exit()).as(converged.out()).isZero();
    CliRun targets = herald("targets", "list");
    assertThat(printed(targets)).contains("orders-hook", "fulfilment").doesNotContain("order-log");
  }

  @Test
  void badFilesWrongKeysDownServersAndUsageErrorsFailClearly() throws IOException {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(
        bad,
        """
        herald: 1
        targets:
          t: {type: log, colour: blue}
        rules:
          default/r:
            pattern: {source: [x]}
            targets: [{target: missing-one}]
        """);
    CliRun invalid = CliRun.of("validate", "-f", bad.toString());
    assertThat(invalid.exit()).isEqualTo(1);
    assertThat(invalid.err())
        .contains(bad + ":3:18: targets.t.colour: unknown key")
        .contains(bad + ":7:16: rules.default/r.targets[0].target: unknown target \"missing-one\"");
    CliRun planBad = herald("plan", "-f", bad.toString());
    assertThat(planBad.exit()).isEqualTo(1);

    Path other = dir.resolve("other.yaml");
    Files.writeString(other, "herald: 1\nbuses:\n  wk-bus: {description: x}\n");
    CliRun wrongKey =
        CliRun.of(
            "apply",
            "-f",
            other.toString(),
            "--url",
            url,
            "--key",
            ADMIN.id() + ".not-the-secret-0123456789");
    assertThat(wrongKey.exit()).isEqualTo(1);
    assertThat(wrongKey.err()).contains("Unauthorized");
    CliRun notThere = herald("buses", "get", "wk-bus");
    assertThat(notThere.exit()).isEqualTo(1);
    assertThat(notThere.err()).contains("BusNotFound");

    CliRun down = CliRun.of("plan", "-f", other.toString(), "--url", CliRun.CLOSED);
    assertThat(down.exit()).isEqualTo(1);
    assertThat(down.err()).contains("cannot reach Herald at " + CliRun.CLOSED);

    assertThat(CliRun.of("plan").exit()).isEqualTo(Main.USAGE);
    assertThat(CliRun.of("buses", "get").exit()).isEqualTo(Main.USAGE);
    assertThat(CliRun.of("plan", "-f", "x", "--bogus").exit()).isEqualTo(Main.USAGE);
    CliRun badRule = herald("rules", "get", "no-slash");
    assertThat(badRule.exit()).isEqualTo(Main.USAGE);
    assertThat(badRule.err()).contains("BUS/RULE");
  }

  @Test
  void everyObjectCanBeListedShownPutAndDeleted() throws IOException {
    Path bus = dir.resolve("bus.yaml");
    Files.writeString(bus, "description: Payments\narchiveRetentionDays: 3\n");
    CliRun put = herald("buses", "put", "cli-pay", "-f", bus.toString());
    assertThat(put.exit()).as(put.err()).isZero();
    assertThat(put.out()).contains("NAME", "RETENTION DAYS", "cli-pay", "Payments");
    CliRun json = herald("buses", "get", "cli-pay", "-o", "json");
    assertThat(json.out()).contains("\"archiveRetentionDays\" : 3");
    assertThat(herald("buses", "list", "-o", "yaml").out()).contains("name: \"cli-pay\"");

    Path target = dir.resolve("target.json");
    Files.writeString(target, "{\"type\": \"queue\", \"queue\": {\"visibilitySeconds\": 45}}");
    assertThat(herald("targets", "put", "cli-q", "-f", target.toString()).exit()).isZero();
    assertThat(herald("targets", "list").out()).contains("cli-q", "queue");

    InputStream in = System.in;
    try {
      System.setIn(
          new ByteArrayInputStream(
              "pattern: {source: [pay]}\ntargets: [{target: cli-q}]\n"
                  .getBytes(StandardCharsets.UTF_8)));
      CliRun rule = herald("rules", "put", "cli-pay/all");
      assertThat(rule.exit()).as(rule.err()).isZero();
    } finally {
      System.setIn(in);
    }
    assertThat(herald("rules", "list", "--bus", "cli-pay").out())
        .contains("cli-pay", "all", "cli-q");
    assertThat(herald("rules", "get", "cli-pay/all", "-o", "json").out()).contains("\"pay\"");

    CliRun status = herald("status");
    assertThat(status.exit()).as(status.err()).isZero();
    assertThat(status.out()).contains("TARGET", "P99 MS", "DEAD LETTERS", "CIRCUIT", "cli-q");

    Path key = dir.resolve("key.yaml");
    Files.writeString(
        key,
        "name: pay-service\nscopes: [\"publish:cli-pay\"]\nsecret: pay-secret-0123456789abcdef\n");
    CliRun putKey = herald("keys", "put", "hk_clipay", "-f", key.toString());
    assertThat(putKey.exit()).as(putKey.err()).isZero();
    assertThat(putKey.out()).contains("hk_clipay", "pay-service").doesNotContain("pay-secret");
    assertThat(herald("keys", "get", "hk_clipay", "-o", "yaml").out()).contains("publish:cli-pay");
    assertThat(herald("keys", "delete", "hk_clipay").exit()).isZero();

    CliRun inUse = herald("targets", "delete", "cli-q");
    assertThat(inUse.exit()).isEqualTo(1);
    assertThat(inUse.err()).contains("TargetInUse");
    assertThat(herald("rules", "delete", "cli-pay/all").exit()).isZero();
    assertThat(herald("targets", "delete", "cli-q").exit()).isZero();
    assertThat(herald("buses", "delete", "cli-pay").exit()).isZero();
    assertThat(printed(herald("buses", "list"))).doesNotContain("cli-pay");
  }
}
