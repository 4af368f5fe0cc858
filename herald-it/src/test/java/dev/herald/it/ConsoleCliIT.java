package dev.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code herald tail} and {@code herald dlq redrive --all} as a user runs them. */
class ConsoleCliIT {
  private static HeraldProcess herald;

  @BeforeAll
  static void start() throws IOException {
    Path dir = Files.createTempDirectory("herald-console-cli-it");
    herald = HeraldProcess.start(dir.resolve("data"));
    herald.awaitReady(Duration.ofSeconds(180));
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  @Test
  void redriveAllPagesThroughTheDeadLettersPrintingProgressLinesWhenNotATerminal()
      throws Exception {
    AtomicInteger status = new AtomicInteger(400); // permanent: a dead letter after one attempt
    var receiver =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress("127.0.0.1", 0), 64);
    receiver.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(status.get(), -1);
          exchange.close();
        });
    receiver.start();
    try {
      String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
      herald.put(
          "/v1/targets/redrive-all",
          "{\"type\":\"webhook\",\"webhook\":{\"url\":\"" + url + "\"}}");
      herald.put(
          "/v1/buses/default/rules/redrive-all",
          "{\"pattern\":{\"source\":[\"cli.redrive\"]},\"targets\":[{\"target\":\"redrive-all\"}]}");
      herald.post(
          "/v1/events",
          "{\"entries\":["
              + "{\"source\":\"cli.redrive\",\"detailType\":\"T\",\"detail\":{\"n\":1}},"
              + "{\"source\":\"cli.redrive\",\"detailType\":\"T\",\"detail\":{\"n\":2}},"
              + "{\"source\":\"cli.redrive\",\"detailType\":\"T\",\"detail\":{\"n\":3}}]}");
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline
          && HeraldProcess.json(herald.get("/v1/targets/redrive-all/dlq")).get("total").asInt()
              < 3) {
        Thread.sleep(300);
      }
      status.set(204);

      CliIT.Run run = CliIT.herald("dlq", "redrive", "redrive-all", "--all", "--url", herald.url());
      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(run.out()).isEqualTo("redriven 3");
      assertThat(run.err().lines())
          .contains("redrive: 0/3 ", "redrive: 3/3 redriven 3, failed 0")
          .noneMatch(line -> line.contains("\r"));
      assertThat(HeraldProcess.json(herald.get("/v1/targets/redrive-all/dlq")).get("total").asInt())
          .isZero();

      CliIT.Run again =
          CliIT.herald("dlq", "redrive", "redrive-all", "--all", "--url", herald.url());
      assertThat(again.exit()).isZero();
      assertThat(again.out()).isEqualTo("redriven 0");
    } finally {
      receiver.stop(0);
    }
  }

  @Test
  void tailPrintsTheNewEventsOfABusThatMatchThePattern() throws Exception {
    Process tail =
        new ProcessBuilder(
                HeraldProcess.javaCommand(
                    "tail",
                    "default",
                    "--pattern",
                    "{\"source\": [\"cli.tail\"]}",
                    "--url",
                    herald.url()))
            .start();
    try {
      BufferedReader err =
          new BufferedReader(new InputStreamReader(tail.getErrorStream(), StandardCharsets.UTF_8));
      BufferedReader out =
          new BufferedReader(new InputStreamReader(tail.getInputStream(), StandardCharsets.UTF_8));
      CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> readLine(err));
      assertThat(ready.get(60, TimeUnit.SECONDS)).contains("following bus default");
      herald.post(
          "/v1/events",
          "{\"entries\":[{\"source\":\"cli.other\",\"detailType\":\"Skipped\",\"detail\":{}},"
              + "{\"source\":\"cli.tail\",\"detailType\":\"Tailed\",\"detail\":{\"n\":1}}]}");
      CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> readLine(out));
      var event = HeraldProcess.JSON.readTree(line.get(60, TimeUnit.SECONDS));
      assertThat(event.get("source").asText()).isEqualTo("cli.tail");
      assertThat(event.get("detail-type").asText()).isEqualTo("Tailed");
    } finally {
      tail.destroy();
      tail.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void tailWithAPatternThatDoesNotCompileFailsNamingTheOption() throws Exception {
    CliIT.Run bad =
        CliIT.herald("tail", "default", "--pattern", "{\"source\": 5}", "--url", herald.url());
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).contains("InvalidPattern", "--pattern");
  }

  private static String readLine(BufferedReader reader) {
    try {
      return reader.readLine();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
