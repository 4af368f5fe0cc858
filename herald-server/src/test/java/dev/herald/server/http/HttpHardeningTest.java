package dev.herald.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.json.Json;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP listener against real sockets: slow and idle clients are closed, connections are capped,
 * only HTTP/1.1 is spoken, bad chunking is a 400, and neither another site nor another host name
 * can act. Short timeouts (1 s) keep the test fast; no assertion depends on how long anything took
 * beyond {@link RawClient#PATIENCE_MILLIS}.
 */
class HttpHardeningTest {
  private static HttpServer server;
  private static HttpServer capped;

  @BeforeAll
  static void start() {
    HttpSettings quick =
        HttpSettings.defaults(true).withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1));
    server = HttpServer.start("127.0.0.1", 0, quick, HttpHardeningTest::routes);
    HttpSettings two =
        HttpSettings.defaults(true)
            .withTimeouts(Duration.ofSeconds(120), Duration.ofSeconds(120))
            .withMaxConnections(2);
    capped = HttpServer.start("127.0.0.1", 0, two, HttpHardeningTest::routes);
  }

  @AfterAll
  static void stop() {
    server.close();
    capped.close();
  }

  private static void routes(io.helidon.webserver.http.HttpRouting.Builder routing) {
    routing.get("/ok", (req, res) -> Http.send(res, 200, Json.object().put("ok", true)));
    routing.post(
        "/echo",
        (req, res) -> {
          byte[] body = Http.readBody(req, 1024 * 1024);
          Http.send(res, 200, Json.object().put("bytes", body.length));
        });
    routing.post("/act", (req, res) -> Http.send(res, 200, Json.object().put("acted", true)));
    routing.get(
        "/slow",
        (req, res) -> {
          Thread.sleep(3000); // longer than both timeouts: a long poll must still be answered
          Http.send(res, 200, Json.object().put("slow", true));
        });
  }

  private static String get(String host) {
    return "GET /ok HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
  }

  private static String local() {
    return "127.0.0.1:" + server.port();
  }

  private static JsonNode json(RawClient.Answer answer) {
    try {
      return Json.MAPPER.readTree(answer.body());
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aClientStalledInTheRequestLineIsClosed() {
    try (RawClient client = new RawClient(server.port())) {
      client.send("GET /o");
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void aClientStalledInTheHeadersIsClosed() {
    try (RawClient client = new RawClient(server.port())) {
      client.send("GET /ok HTTP/1.1\r\nHost: " + local() + "\r\nX-Slow: a");
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void aClientStalledInTheBodyIsClosed() {
    try (RawClient client = new RawClient(server.port())) {
      client.send(
          "POST /echo HTTP/1.1\r\nHost: "
              + local()
              + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\": ");
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void aMethodThatIsNotATokenIs400BadRequestAndTheConnectionIsClosed() {
    try (RawClient client = new RawClient(server.port())) {
      RawClient.Answer answer =
          client.send(":GET / HTTP/1.1\r\nHost: " + local() + "\r\n\r\n").read();
      assertThat(answer.status()).isEqualTo(400); // the fuzz suite found it answered 500
      assertThat(json(answer).at("/error/code").asText()).isEqualTo("BadRequest");
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void anIdleKeepAliveConnectionIsClosed() {
    try (RawClient client = new RawClient(server.port())) {
      RawClient.Answer answer = client.send(get(local())).read();
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.header("connection")).isNotEqualToIgnoringCase("close");
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void aSlowAnswerIsNotCutByTheReadOrIdleTimeout() {
    try (RawClient client = new RawClient(server.port())) {
      RawClient.Answer answer =
          client.send("GET /slow HTTP/1.1\r\nHost: " + local() + "\r\n\r\n").read();
      assertThat(answer.status()).isEqualTo(200);
      assertThat(json(answer).get("slow").asBoolean()).isTrue();
    }
  }

  @Test
  void aKeepAliveConnectionServesSeveralRequests() {
    try (RawClient client = new RawClient(server.port())) {
      assertThat(client.send(get(local())).read().status()).isEqualTo(200);
      assertThat(client.send(get(local())).read().status()).isEqualTo(200);
    }
  }

  @Test
  void connectionsPastTheCapWaitUntilOneCloses() {
    List<RawClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        RawClient client = new RawClient(capped.port());
        open.add(client);
        assertThat(client.send(get("localhost:" + capped.port())).read().status()).isEqualTo(200);
      }
      RawClient third = new RawClient(capped.port());
      open.add(third);
      third.timeout(1500);
      third.send(get("localhost:" + capped.port()));
      assertThatThrownBy(third::read).hasCauseInstanceOf(SocketTimeoutException.class);
      open.remove(0).close();
      third.timeout(RawClient.PATIENCE_MILLIS);
      assertThat(third.read().status()).isEqualTo(200);
    } finally {
      open.forEach(RawClient::close);
    }
  }

  @Test
  void http10Gets505AndTheConnectionIsClosed() {
    try (RawClient client = new RawClient(server.port())) {
      RawClient.Answer answer =
          client.send("GET /ok HTTP/1.0\r\nHost: " + local() + "\r\n\r\n").read();
      assertThat(answer.status()).isEqualTo(505);
      assertThat(json(answer).at("/error/code").asText()).isEqualTo("HttpVersionNotSupported");
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void malformedChunkingIs400() {
    try (RawClient client = new RawClient(server.port())) {
      RawClient.Answer answer =
          client
              .send(
                  "POST /echo HTTP/1.1\r\nHost: "
                      + local()
                      + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                      + "zz\r\n{}\r\n0\r\n\r\n")
              .read();
      assertThat(answer.status()).isEqualTo(400);
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void wellFormedChunkingIsRead() {
    try (RawClient client = new RawClient(server.port())) {
      RawClient.Answer answer =
          client
              .send(
                  "POST /echo HTTP/1.1\r\nHost: "
                      + local()
                      + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                      + "2\r\n{}\r\n0\r\n\r\n")
              .read();
      assertThat(answer.status()).isEqualTo(200);
      assertThat(json(answer).get("bytes").asInt()).isEqualTo(2);
    }
  }

  @Test
  void aForeignHostNameIs403ForbiddenHost() {
    for (String host : List.of("evil.example:" + server.port(), "evil.example", "127.0.0.2")) {
      try (RawClient client = new RawClient(server.port())) {
        RawClient.Answer answer = client.send(get(host)).read();
        assertThat(answer.status()).as(host).isEqualTo(403);
        assertThat(json(answer).at("/error/code").asText()).isEqualTo("ForbiddenHost");
        assertThat(json(answer).at("/error/field").asText()).isEqualTo("Host");
      }
    }
  }

  @Test
  void loopbackHostNamesAreServed() {
    int port = server.port();
    for (String host :
        List.of("localhost:" + port, "LOCALHOST", "127.0.0.1:" + port, "[::1]:" + port)) {
      try (RawClient client = new RawClient(port)) {
        assertThat(client.send(get(host)).read().status()).as(host).isEqualTo(200);
      }
    }
  }

  @Test
  void corsSimpleContentTypesAre415OnStateChangingRequests() {
    for (String type :
        List.of(
            "text/plain",
            "text/plain; charset=utf-8",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x")) {
      try (RawClient client = new RawClient(server.port())) {
        RawClient.Answer answer =
            client
                .send(
                    "POST /act HTTP/1.1\r\nHost: "
                        + local()
                        + "\r\nContent-Type: "
                        + type
                        + "\r\nContent-Length: 2\r\n\r\n{}")
                .read();
        assertThat(answer.status()).as(type).isEqualTo(415);
        assertThat(json(answer).at("/error/field").asText()).isEqualTo("Content-Type");
      }
    }
  }

  @Test
  void aBodilessStateChangingRequestFromAnotherOriginIs403() {
    for (String origin : List.of("http://evil.example", "null", "http://localhost:1")) {
      try (RawClient client = new RawClient(server.port())) {
        RawClient.Answer answer =
            client
                .send(
                    "POST /act HTTP/1.1\r\nHost: "
                        + local()
                        + "\r\nOrigin: "
                        + origin
                        + "\r\nContent-Length: 0\r\n\r\n")
                .read();
        assertThat(answer.status()).as(origin).isEqualTo(403);
        assertThat(json(answer).at("/error/code").asText()).isEqualTo("CrossOriginForbidden");
        assertThat(answer.header("access-control-allow-origin")).isNull();
      }
    }
  }

  @Test
  void theSameOriginAndNoOriginMayAct() {
    for (String origin : List.of("Origin: http://" + local() + "\r\n", "")) {
      try (RawClient client = new RawClient(server.port())) {
        RawClient.Answer answer =
            client
                .send(
                    "POST /act HTTP/1.1\r\nHost: "
                        + local()
                        + "\r\n"
                        + origin
                        + "Content-Length: 0\r\n\r\n")
                .read();
        assertThat(answer.status()).as(origin).isEqualTo(200);
      }
    }
  }

  @Test
  void noPreflightSucceedsAndNoAnswerAllowsAnotherOrigin() {
    try (RawClient client = new RawClient(server.port())) {
      RawClient.Answer answer =
          client
              .send(
                  "OPTIONS /act HTTP/1.1\r\nHost: "
                      + local()
                      + "\r\nOrigin: http://evil.example\r\nAccess-Control-Request-Method: POST\r\n"
                      + "Access-Control-Request-Headers: content-type\r\n\r\n")
              .read();
      assertThat(answer.status()).isEqualTo(403);
      assertThat(answer.header("access-control-allow-origin")).isNull();
      assertThat(answer.header("access-control-allow-methods")).isNull();
    }
    try (RawClient client = new RawClient(server.port())) {
      RawClient.Answer answer =
          client
              .send(
                  "GET /ok HTTP/1.1\r\nHost: "
                      + local()
                      + "\r\nOrigin: http://evil.example\r\n\r\n")
              .read();
      assertThat(answer.header("access-control-allow-origin")).isNull();
    }
  }
}
