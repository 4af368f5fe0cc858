package dev.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The built {@code herald} command with keys from the environment: {@code herald serve} with
 * HERALD_BOOTSTRAP_KEY, CLI commands with HERALD_KEY and HERALD_URL, and a non-loopback bind
 * without a key refused.
 */
class KeysCliIT {
  static final String ADMIN = "hk_itadmin.it-admin-secret-0123456789";

  record Run(int exit, String out, String err) {}

  static Run herald(Map<String, String> env, String... args) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(HeraldProcess.javaCommand(args))
            .redirectError(ProcessBuilder.Redirect.PIPE);
    builder.environment().remove("HERALD_KEY");
    builder.environment().putAll(env);
    Process process = builder.start();
    byte[] out = process.getInputStream().readAllBytes();
    byte[] err = process.getErrorStream().readAllBytes();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(
        process.exitValue(),
        new String(out, StandardCharsets.UTF_8).trim(),
        new String(err, StandardCharsets.UTF_8).trim());
  }

  @Test
  void theEnvironmentCarriesTheBootstrapKeyAndEveryCommandsKey() throws Exception {
    Path dir = Files.createTempDirectory("herald-keys-it");
    HeraldProcess server =
        HeraldProcess.start(dir.resolve("data"), Map.of("HERALD_BOOTSTRAP_KEY", ADMIN));
    try {
      server.awaitReady(Duration.ofSeconds(60));
      assertThat(server.get("/v1/buses").statusCode()).isEqualTo(401);
      Map<String, String> admin = Map.of("HERALD_KEY", ADMIN, "HERALD_URL", server.url());

      Run created =
          herald(admin, "keys", "create", "--name", "orders", "--scope", "publish:default");
      assertThat(created.exit()).as(created.err()).isZero();
      String publisher = created.out();
      assertThat(publisher).startsWith("hk_").contains(".");

      Run published =
          herald(
              Map.of("HERALD_KEY", publisher, "HERALD_URL", server.url()),
              "publish",
              "--source",
              "it",
              "--detail-type",
              "T",
              "--detail",
              "{}");
      assertThat(published.exit()).as(published.err()).isZero();

      Run noKey =
          herald(
              Map.of("HERALD_URL", server.url()),
              "publish",
              "--source",
              "it",
              "--detail-type",
              "T",
              "--detail",
              "{}");
      assertThat(noKey.exit()).isEqualTo(1);
      assertThat(noKey.err()).contains("Unauthorized");

      Run list = herald(admin, "keys", "list");
      assertThat(list.out()).contains("orders", "publish:default", "hk_itadmin");
    } finally {
      server.close();
    }
  }

  @Test
  void serveBeyondLoopbackWithoutAnAdminKeyRefusesNamingTheVariable() throws Exception {
    Path dir = Files.createTempDirectory("herald-keys-it");
    Run refused =
        herald(
            Map.of(),
            "serve",
            "--host",
            "0.0.0.0",
            "--port",
            "0",
            "--data-dir",
            dir.resolve("data").toString());

    assertThat(refused.exit()).isNotZero();
    assertThat(refused.out() + refused.err()).contains("HERALD_BOOTSTRAP_KEY");
  }
}
