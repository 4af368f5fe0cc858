package dev.herald.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** Runs the load generator for a second against a stand-in for Herald's publish endpoint. */
class IngestCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private HttpServer server;

  @BeforeEach
  void startStandIn() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/v1/events",
        exchange -> {
          int entries = JSON.readTree(exchange.getRequestBody()).get("entries").size();
          StringBuilder answer = new StringBuilder("{\"failedEntryCount\":1,\"entries\":[");
          for (int i = 0; i < entries; i++) {
            answer.append(i == 0 ? "" : ",");
            answer.append(
                i == entries - 1 ? "{\"errorCode\":\"EngineUnavailable\"}" : "{\"eventId\":\"e\"}");
          }
          byte[] body = answer.append("]}").toString().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"open", "closed"})
  void reportsWhatTheServerAcceptedAndRefused(String mode) throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    int exit =
        new CommandLine(new IngestCommand(new PrintStream(buffer, true, StandardCharsets.UTF_8)))
            .execute(
                "--url=http://127.0.0.1:" + server.getAddress().getPort(),
                "--mode=" + mode,
                "--batch=10",
                "--rate=500",
                "--concurrency=2",
                "--warmup=0s",
                "--duration=1s");

    JsonNode summary =
        JSON.readTree(buffer.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow());
    assertThat(exit).isZero();
    assertThat(summary.path("scenario").asText()).isEqualTo("ingest");
    long requests = summary.path("requests").asLong();
    assertThat(requests).isPositive();
    assertThat(summary.path("acceptedEvents").asLong()).isEqualTo(requests * 9);
    assertThat(summary.path("failedEntries").asLong()).isEqualTo(requests);
    assertThat(summary.path("errors").path("entry:EngineUnavailable").asLong()).isEqualTo(requests);
    assertThat(summary.path("httpErrors").asLong()).isZero();
    assertThat(summary.path("p99Ms").asDouble()).isPositive();
  }
}
