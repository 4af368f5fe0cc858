package dev.herald.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;

/** A real HTTP receiver on 127.0.0.1 that answers each call with a status chosen by the test. */
final class Receiver implements AutoCloseable {
  record Call(String body, Map<String, List<String>> headers, int status) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().getFirst())
          .findFirst()
          .orElse(null);
    }
  }

  private final HttpServer server;
  final List<Call> calls = new CopyOnWriteArrayList<>();
  private volatile IntSupplier status;
  private volatile long delayMillis;

  Receiver(IntSupplier status) {
    this.status = status;
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  void answer(IntSupplier next) {
    this.status = next;
  }

  void delay(long millis) {
    this.delayMillis = millis;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    if (delayMillis > 0) {
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    int code = status.getAsInt();
    calls.add(new Call(body, Map.copyOf(exchange.getRequestHeaders()), code));
    exchange.sendResponseHeaders(code, -1);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
