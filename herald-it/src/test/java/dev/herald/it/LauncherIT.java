package dev.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./herald serve} as a user at a terminal starts it: the launcher script at the root of the
 * repository (it finds the JDK, sets the umask and the heap), with the log format chosen by {@code
 * HERALD_LOG_FORMAT}.
 */
class LauncherIT {
  private static final Path LAUNCHER = Path.of("..", "herald").toAbsolutePath().normalize();

  @TempDir Path dir;

  private Process serve(Path log, int port, Map<String, String> env) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
            List.of(
                LAUNCHER.toString(),
                "serve",
                "--data-dir",
                dir.resolve("data").toString(),
                "--port",
                String.valueOf(port)));
    builder.environment().putAll(env);
    builder.environment().remove("HERALD_JAVA_OPTS");
    return builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static boolean ready(int port) {
    try {
      HttpResponse<String> response =
          HeraldProcess.HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static List<String> awaitReady(Process herald, Path log, int port) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!ready(port)) {
      assertThat(herald.isAlive())
          .as("herald exited; log:\n%s", Files.readString(log, StandardCharsets.UTF_8))
          .isTrue();
      assertThat(System.nanoTime()).as("ready within 90 s").isLessThan(deadline);
      Thread.sleep(100);
    }
    return Files.readAllLines(log, StandardCharsets.UTF_8);
  }

  private static void stop(Process herald) throws InterruptedException {
    herald.destroy();
    if (!herald.waitFor(30, TimeUnit.SECONDS)) {
      herald.destroyForcibly().waitFor();
    }
  }

  @Test
  void textFormatGivesReadableLinesAndTheDataDirIsTheOwnersOnly() throws Exception {
    Path log = dir.resolve("text.log");
    int port = HeraldProcess.freePort();
    Process herald = serve(log, port, Map.of("HERALD_LOG_FORMAT", "text"));
    try {
      List<String> lines = awaitReady(herald, log, port);
      String readyLine =
          lines.stream().filter(l -> l.contains("Herald ready on")).findFirst().orElseThrow();
      assertThat(readyLine)
          .as("a text line: time, level, logger, message")
          .matches(
              "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  Herald: Herald ready on .*");
      assertThat(lines).noneMatch(l -> l.startsWith("{"));
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data"))))
          .isEqualTo("rwx------");
    } finally {
      stop(herald);
    }
  }

  @Test
  void jsonIsTheDefaultFormat() throws Exception {
    Path log = dir.resolve("json.log");
    int port = HeraldProcess.freePort();
    Process herald = serve(log, port, Map.of());
    try {
      List<String> lines = awaitReady(herald, log, port);
      JsonNode ready =
          HeraldProcess.JSON.readTree(
              lines.stream().filter(l -> l.contains("Herald ready on")).findFirst().orElseThrow());
      assertThat(ready.get("level").asText()).isEqualTo("INFO");
      assertThat(ready.get("message").asText()).startsWith("Herald ready on http://127.0.0.1:");
    } finally {
      stop(herald);
    }
  }

  @Test
  void anUnknownFormatRefusesToStartNamingTheVariable() throws Exception {
    Path log = dir.resolve("bad.log");
    Process herald = serve(log, HeraldProcess.freePort(), Map.of("HERALD_LOG_FORMAT", "xml"));
    assertThat(herald.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(herald.exitValue()).isNotZero();
    assertThat(Files.readString(log, StandardCharsets.UTF_8))
        .contains("HERALD_LOG_FORMAT must be json or text, got 'xml'");
  }
}
