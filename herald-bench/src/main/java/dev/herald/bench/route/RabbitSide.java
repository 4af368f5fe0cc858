package dev.herald.bench.route;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.herald.bench.load.Loopback;
import dev.herald.bench.load.ProcStat;
import dev.herald.bench.rabbit.ConfirmedPublisher;
import dev.herald.bench.rabbit.RabbitConsumers;
import dev.herald.bench.rabbit.Topology;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The RabbitMQ baseline's side of {@link VsRabbitBench}: declares the {@link Topology} for the
 * consumers, starts {@link RabbitConsumers} in a JVM of its own (8 channels × prefetch 250 per
 * consumer) and publishes with a {@link ConfirmedPublisher} (window 100). Its CPU is the broker's
 * processes ({@code --cpu-pids}) plus the consumer JVM. Not thread-safe: one benchmark thread
 * drives it.
 */
final class RabbitSide implements VsRabbitBench.Side {
  static final int CHANNELS = 8;
  static final int PREFETCH = 250;
  static final int CONFIRM_WINDOW = 100;
  private static final int CONSUMER_MAX_SECONDS = 3_600;

  private final String amqp;
  private final Topology topology;
  private final List<Long> pids;
  private final String consumerJavaOpts;
  private final ConnectionFactory factory = new ConnectionFactory();
  private Connection connection;
  private ConfirmedPublisher publisher;
  private Process consumers;
  private long next;

  RabbitSide(String amqp, String prefix, List<Long> pids, String consumerJavaOpts)
      throws Exception {
    URI uri = URI.create(amqp);
    Loopback.require("--amqp", uri.getHost());
    factory.setUri(uri);
    this.amqp = amqp;
    this.topology = new Topology(prefix);
    this.pids = pids;
    this.consumerJavaOpts = consumerJavaOpts;
  }

  private Connection connection() throws Exception {
    if (connection == null) {
      connection = factory.newConnection("herald-bench publisher");
    }
    return connection;
  }

  @Override
  public void setUp(Receiver receiver, boolean neighbours) throws Exception {
    stopConsumers();
    List<String> names = new ArrayList<>(VsRabbitBench.HEALTHY);
    List<String> endpoints = new ArrayList<>();
    for (String n : names) {
      endpoints.add(n + "=" + receiver.url("/hook"));
    }
    if (neighbours) {
      names.addAll(List.of(VsRabbitBench.FAILING, VsRabbitBench.SLOW));
      endpoints.add(VsRabbitBench.FAILING + "=" + receiver.url("/fail"));
      endpoints.add(VsRabbitBench.SLOW + "=" + receiver.url("/slow"));
    }
    try (Channel channel = connection().createChannel()) {
      topology.declare(channel, names);
    }
    if (publisher == null) {
      publisher = new ConfirmedPublisher(connection(), topology.exchange(), CONFIRM_WINDOW);
    }
    startConsumers(endpoints);
  }

  private void startConsumers(List<String> endpoints) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String o : consumerJavaOpts.trim().split("\\s+")) {
      if (!o.isEmpty()) {
        command.add(o);
      }
    }
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            RabbitConsumers.class.getName(),
            amqp,
            topology.prefix(),
            Integer.toString(CHANNELS),
            Integer.toString(PREFETCH),
            Integer.toString(CONSUMER_MAX_SECONDS)));
    command.addAll(endpoints);
    consumers = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out =
        new BufferedReader(
            new InputStreamReader(consumers.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> line(out));
    String ready = first.get(60, TimeUnit.SECONDS);
    if (!"ready".equals(ready)) {
      throw new IllegalStateException("the RabbitMQ consumers did not start (said: " + ready + ")");
    }
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              for (String l; (l = line(out)) != null; ) {
                System.out.println("rabbit " + l);
              }
            });
  }

  private static String line(BufferedReader reader) {
    try {
      return reader.readLine();
    } catch (IOException e) {
      return null;
    }
  }

  private void stopConsumers() throws Exception {
    if (consumers == null) {
      return;
    }
    consumers.getOutputStream().close(); // end of input: RabbitConsumers stops
    if (!consumers.waitFor(20, TimeUnit.SECONDS)) {
      consumers.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    consumers = null;
  }

  @Override
  public void publishAll(long events) throws Exception {
    for (long i = 0; i < events; i++) {
      publisher.publish(ConfirmedPublisher.message(next++));
    }
    publisher.awaitConfirms(Duration.ofMinutes(1));
  }

  @Override
  public void publishTen(ExecutorService executor) throws Exception {
    for (int i = 0; i < 10; i++) {
      publisher.publish(ConfirmedPublisher.message(next++));
    }
  }

  @Override
  public long cpuNanos() throws IOException {
    return VsRabbitBench.cpuNanos(pids)
        + (consumers == null ? 0 : ProcStat.cpuNanos(consumers.pid()));
  }

  /** Deletes every queue and exchange this side may have declared under its prefix. */
  void deleteTopology() throws Exception {
    List<String> all = new ArrayList<>(VsRabbitBench.HEALTHY);
    all.addAll(List.of(VsRabbitBench.FAILING, VsRabbitBench.SLOW));
    try (Channel channel = connection().createChannel()) {
      topology.delete(channel, all);
    }
  }

  @Override
  public void close() throws Exception {
    try {
      stopConsumers();
      if (publisher != null) {
        publisher.close();
      }
      deleteTopology();
    } finally {
      if (connection != null) {
        connection.close();
      }
    }
  }
}
