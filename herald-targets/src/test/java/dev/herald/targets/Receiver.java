package dev.herald.targets;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/** A real HTTP receiver on 127.0.0.1 that records requests and answers per path. */
final class Receiver implements AutoCloseable {
  /** One request; {@code remotePort} tells which client connection carried it. */
  record Received(String method, String path, Headers headers, byte[] body, int remotePort) {
    String header(String name) {
      return headers.getFirst(name);
    }
  }

  record Answer(int status, Map<String, String> headers, String body, long delayMs) {
    static Answer of(int status) {
      return new Answer(status, Map.of(), "", 0);
    }
  }

  interface Handler {
    Answer answer(Received request);
  }

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, Handler> handlers = new ConcurrentHashMap<>();

  Receiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  Receiver on(String path, Handler handler) {
    handlers.put(path, handler);
    return this;
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  int port() {
    return server.getAddress().getPort();
  }

  List<Received> received() {
    return received;
  }

  List<Received> received(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Received request =
          new Received(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getPath(),
              exchange.getRequestHeaders(),
              exchange.getRequestBody().readAllBytes(),
              exchange.getRemoteAddress().getPort());
      received.add(request);
      Handler handler = handlers.getOrDefault(request.path(), r -> Answer.of(200));
      Answer answer = handler.answer(request);
      if (answer.delayMs() > 0) {
        try {
          Thread.sleep(answer.delayMs());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      byte[] body = answer.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        exchange.getResponseBody().write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
