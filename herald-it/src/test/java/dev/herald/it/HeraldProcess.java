package dev.herald.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Herald as users run it: the fat jar in a child JVM ({@code java -jar herald.jar serve}), so that
 * tests can kill it with SIGKILL and start it again on the same data dir.
 */
final class HeraldProcess implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Path dataDir;
  private final Path log;
  private final int port;
  private final java.util.Map<String, String> env;
  private Process process;

  private HeraldProcess(Path dataDir, int port, java.util.Map<String, String> env) {
    this.dataDir = dataDir;
    this.port = port;
    this.env = java.util.Map.copyOf(env);
    this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
  }

  static HeraldProcess start(Path dataDir, String... extraArgs) {
    return start(dataDir, java.util.Map.of(), extraArgs);
  }

  /** Starts {@code herald serve} with these environment variables added. */
  static HeraldProcess start(Path dataDir, java.util.Map<String, String> env, String... extraArgs) {
    HeraldProcess herald = new HeraldProcess(dataDir, freePort(), env);
    herald.launch(extraArgs);
    return herald;
  }

  static Path jar() {
    Path jar = Path.of(System.getProperty("herald.jar", "../herald-cli/target/herald.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run ./mvnw package first");
    }
    return jar;
  }

  static List<String> javaCommand(String... args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-Xmx512m");
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    return command;
  }

  void launch(String... extraArgs) {
    List<String> args =
        new ArrayList<>(
            List.of("serve", "--data-dir", dataDir.toString(), "--port", String.valueOf(port)));
    args.addAll(List.of(extraArgs));
    try {
      ProcessBuilder builder = new ProcessBuilder(javaCommand(args.toArray(String[]::new)));
      builder.environment().putAll(env);
      process =
          builder
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until {@code /health/ready} answers 200; returns how long it took. */
  Duration awaitReady(Duration timeout) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Herald exited with " + process.exitValue() + "; log:\n" + logText());
      }
      try {
        if (get("/health/ready").statusCode() == 200) {
          return Duration.ofNanos(System.nanoTime() - start);
        }
      } catch (UncheckedIOException e) {
        // not listening yet
      }
      sleep(50);
    }
    throw new IllegalStateException("Herald not ready after " + timeout + "; log:\n" + logText());
  }

  void kill9() {
    process.destroyForcibly(); // SIGKILL on Linux
    waitFor();
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  void restart(String... extraArgs) {
    launch(extraArgs);
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  Properties runtime() {
    Properties props = new Properties();
    try (InputStream in = Files.newInputStream(dataDir.resolve("runtime.properties"))) {
      props.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return props;
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET().build());
  }

  HttpResponse<String> post(String path, String json) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  HttpResponse<String> put(String path, String json) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  HttpResponse<String> delete(String path) {
    return send(HttpRequest.newBuilder(uri(path)).DELETE().build());
  }

  /** The CPU time the running Herald process has used so far (user and system). */
  Duration cpu() {
    return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  String logText() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(cannot read log: " + e + ")";
    }
  }

  private void waitFor() {
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGTERM and wait: the normal stop. */
  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroy();
      waitFor();
    }
  }
}
