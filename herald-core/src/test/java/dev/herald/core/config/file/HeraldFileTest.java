package dev.herald.core.config.file;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.herald.core.config.DesiredState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** herald.yaml: overlays, substitutions, secrets in clear, and errors with line and column. */
class HeraldFileTest {
  static final Path EXAMPLE = Path.of("..", "examples", "herald.yaml");
  static final Path SCHEMA = Path.of("..", "schema", "herald.schema.json");

  /** Resolves from maps: the test's environment variables and files. */
  record MapResolver(Map<String, String> env, Map<String, String> files)
      implements HeraldFile.Resolver {
    @Override
    public Optional<String> env(String name) {
      return Optional.ofNullable(env.get(name));
    }

    @Override
    public Optional<String> file(String path) {
      return Optional.ofNullable(files.get(path));
    }
  }

  static final MapResolver EXAMPLE_ENV =
      new MapResolver(
          Map.of(
              "ORDERS_HOOK_URL", "https://hooks.example.com/orders",
              "ORDERS_HOOK_SECRET", "whsec_cHJvZC1zZWNyZXQtb2YtdGhlLWhvb2s=",
              "ORDERS_SERVICE_KEY", "hk_orders.orders-service-secret-0123456789"),
          Map.of("secrets/orders-hook", "whsec_c3RhZ2luZy1zZWNyZXQtb2YtaG9vaw==\n"));

  static HeraldFile.Loaded load(String yaml, String env, HeraldFile.Resolver resolver) {
    return HeraldFile.load("herald.yaml", yaml, Optional.ofNullable(env), resolver);
  }

  static HeraldFile.Loaded load(String yaml, String env) {
    return load(yaml, env, new MapResolver(Map.of(), Map.of()));
  }

  static List<String> errors(HeraldFile.Loaded loaded) {
    return loaded.errors().stream().map(FileError::toString).toList();
  }

  @Test
  void theExampleIsValidInEveryEnvironmentAndOverlaysMergeDeeplyReplaceListsAndRemoveNulls()
      throws Exception {
    String text = Files.readString(EXAMPLE);
    assertThat(HeraldFile.environments(text)).containsExactly("dev", "staging", "prod");
    for (String env : List.of("dev", "staging", "prod")) {
      HeraldFile.Loaded loaded = load(text, env, EXAMPLE_ENV);
      assertThat(errors(loaded)).as(env).isEmpty();
      assertThat(DesiredState.parse(loaded.desired()).errors()).as(env).isEmpty();
    }
    JsonNode prod = load(text, "prod", EXAMPLE_ENV).desired();
    assertThat(prod.at("/targets/orders-hook/retry/maxAttempts").asInt()).isEqualTo(20);
    assertThat(prod.at("/targets/orders-hook/retry/maxEventAgeSeconds").asInt()).isEqualTo(86400);
    assertThat(prod.at("/targets/orders-hook/webhook/url").asText())
        .isEqualTo("https://hooks.example.com/orders");
    assertThat(prod.at("/targets").has("order-log")).isFalse();
    assertThat(prod.at("/rules/orders~1to-fulfilment/targets").size()).isEqualTo(1);
    assertThat(prod.at("/buses/orders/archiveRetentionDays").asInt()).isEqualTo(30);
    assertThat(prod.at("/buses/orders/description").asText())
        .isEqualTo("Order events from the shop");
    JsonNode staging = load(text, "staging", EXAMPLE_ENV).desired();
    assertThat(staging.at("/targets/orders-hook/webhook/secret").asText())
        .isEqualTo("whsec_c3RhZ2luZy1zZWNyZXQtb2YtaG9vaw==");
    JsonNode dev = load(text, "dev", EXAMPLE_ENV).desired();
    assertThat(dev.at("/targets/orders-hook/webhook/url").asText())
        .isEqualTo("http://127.0.0.1:9000/hook");
  }

  @Test
  void theExampleMatchesTheJsonSchema() throws Exception {
    Schema schema =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(Files.readString(SCHEMA));
    JsonNode example = new YAMLMapper().readTree(EXAMPLE.toFile());
    List<Error> errors = schema.validate(example);
    assertThat(errors).isEmpty();

    JsonNode bad =
        new YAMLMapper()
            .readTree("herald: 1\ntargets:\n  t: {type: webhook, retry: {maxAtempts: 3}}\n");
    assertThat(schema.validate(bad)).extracting(Error::getMessage).isNotEmpty();
  }

  @Test
  void aSyntaxErrorNamesItsLineAndColumn() {
    String yaml = "herald: 1\nbuses:\n  orders: description: x\n";
    HeraldFile.Loaded loaded = load(yaml, null);
    assertThat(errors(loaded))
        .containsExactly("herald.yaml:3:22: mapping values are not allowed here");

    HeraldFile.Loaded tab = load("herald: 1\nbuses:\n\torders: {}\n", null);
    assertThat(errors(tab)).singleElement().asString().startsWith("herald.yaml:3:");
  }

  @Test
  void anUnknownKeyIsNamedByItsPathAndPlace() {
    String yaml =
        """
        herald: 1
        targets:
          orders-hook:
            type: audit
            retry:
              maxAtempts: 3
        colour: blue
        """;
    assertThat(errors(load(yaml, null)))
        .containsExactlyInAnyOrder(
            "herald.yaml:7:1: colour: unknown key; allowed: buses, environments, herald, keys,"
                + " rules, targets",
            "herald.yaml:6:7: targets.orders-hook.retry.maxAtempts: unknown key");
  }

  @Test
  void aRuleNamingATargetDeclaredOnlyInAnotherEnvironmentIsAnError() {
    String yaml =
        """
        herald: 1
        rules:
          default/to-hook:
            pattern: {source: [shop]}
            targets: [{target: ledger}, {target: prod-hook}]
        targets:
          ledger: {type: audit}
        environments:
          dev: {}
          prod:
            targets:
              prod-hook: {type: log}
        """;
    assertThat(errors(load(yaml, "prod"))).isEmpty();
    assertThat(errors(load(yaml, "dev")))
        .containsExactly(
            "herald.yaml:5:34: rules.default/to-hook.targets[1].target: unknown target"
                + " \"prod-hook\" (declared only in environment prod, not in dev)");
    assertThat(errors(load(yaml, "qa")))
        .singleElement()
        .asString()
        .contains("environment 'qa' is not declared; declared: dev, prod");
  }

  @Test
  void aMissingEnvironmentVariableOrFileIsNamed() {
    String yaml =
        """
        herald: 1
        targets:
          hook:
            type: webhook
            webhook:
              url: "${env:HOOK_URL}"
              secret: "${file:/run/secrets/hook}"
        """;
    assertThat(errors(load(yaml, null)))
        .containsExactly(
            "herald.yaml:6:7: targets.hook.webhook.url: ${env:HOOK_URL}: environment variable"
                + " HOOK_URL is not set",
            "herald.yaml:7:7: targets.hook.webhook.secret: ${file:/run/secrets/hook}: file"
                + " /run/secrets/hook cannot be read");
    HeraldFile.Loaded resolved =
        load(
            yaml,
            null,
            new MapResolver(
                Map.of("HOOK_URL", "https://hooks.example.com/x"),
                Map.of("/run/secrets/hook", "whsec_aG9vay1zZWNyZXQtZm9yLXRlc3Rz\n")));
    assertThat(errors(resolved)).isEmpty();
    assertThat(resolved.desired().at("/targets/hook/webhook/secret").asText())
        .isEqualTo("whsec_aG9vay1zZWNyZXQtZm9yLXRlc3Rz");
  }

  @Test
  void aSecretInClearIsAnErrorUnlessTheEnvironmentAllowsIt() {
    String yaml =
        """
        herald: 1
        targets:
          hook:
            type: webhook
            webhook:
              url: "https://hooks.example.com/x"
              secret: "whsec_aG9vay1zZWNyZXQtZm9yLXRlc3Rz"
              auth: {bearer: "${env:TOKEN}"}
        keys:
          svc: {scopes: [read], key: "hk_svc.svc-secret-0123456789abcdef"}
        environments:
          dev: {allowPlaintextSecrets: true}
          prod: {}
        """;
    MapResolver env = new MapResolver(Map.of("TOKEN", "t0ken"), Map.of());
    assertThat(errors(load(yaml, "dev", env))).isEmpty();
    assertThat(errors(load(yaml, "prod", env)))
        .containsExactly(
            "herald.yaml:7:7: targets.hook.webhook.secret: a secret written in clear; use"
                + " ${env:NAME} or ${file:path}; or set allowPlaintextSecrets: true in"
                + " environments.prod (dev only)",
            "herald.yaml:10:25: keys.svc.key: a key's secret written in clear; use ${env:NAME} or"
                + " ${file:path}; or set allowPlaintextSecrets: true in environments.prod (dev"
                + " only)");
  }

  @Test
  void anInvalidValueIsNamedAsTheApiNamesIt() {
    String yaml =
        """
        herald: 1
        targets:
          hook:
            type: webhook
            webhook: {url: "ftp://x"}
        rules:
          nobus:
            pattern: {}
        """;
    assertThat(errors(load(yaml, null)))
        .contains(
            "herald.yaml:5:15: targets.hook.webhook.url: webhook.url must be an absolute http or"
                + " https URL",
            "herald.yaml:7:3: rules.nobus: a rule is named <bus>/<rule>, such as"
                + " orders/big-orders; got 'nobus'");
  }
}
