package dev.herald.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka cluster of KRaft brokers, each its own JVM started from the Kafka server classes
 * inside herald.jar ({@code kafka.Kafka}), with its own ports and data dir; every broker is also a
 * controller (a quorum of three). Tests stop, kill and restart brokers one by one.
 *
 * <p>Thread-safety: driven by one test thread.
 */
final class KafkaCluster implements AutoCloseable {
  private static final String HOST = "127.0.0.1";

  private final Path root;
  private final String clusterId = Uuid.randomUuid().toString();
  private final List<Broker> brokers = new ArrayList<>();

  /** One broker: its ports, its properties file and its process while it runs. */
  final class Broker {
    final int nodeId;
    final int port;
    final int controllerPort;
    final Path dir;
    private Process process;

    Broker(int nodeId, int port, int controllerPort, Path dir) {
      this.nodeId = nodeId;
      this.port = port;
      this.controllerPort = controllerPort;
      this.dir = dir;
    }

    Path properties() {
      return dir.resolve("server.properties");
    }

    Path log() {
      return dir.resolve("broker.log");
    }

    void start() {
      process = java(List.of("kafka.Kafka", properties().toString()), log());
    }

    boolean running() {
      return process != null && process.isAlive();
    }

    /** SIGKILL: the broker leaves without a word, as a crashed machine does. */
    /** The CPU time the running broker has used so far (user and system). */
    Duration cpu() {
      return process == null
          ? Duration.ZERO
          : process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    void kill9() {
      process.destroyForcibly();
      await(process);
    }

    /** SIGTERM: a controlled shutdown that hands its leaderships over first. */
    void stop() {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          await(process);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    String address() {
      return HOST + ":" + port;
    }
  }

  private KafkaCluster(Path root) {
    this.root = root;
  }

  /** Formats and starts {@code size} brokers under {@code root}; returns once all are in. */
  static KafkaCluster start(Path root, int size, Duration timeout) {
    KafkaCluster cluster = new KafkaCluster(root);
    try {
      cluster.create(size);
      cluster.brokers.forEach(Broker::start);
      cluster.awaitBrokers(size, timeout);
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private void create(int size) {
    for (int node = 1; node <= size; node++) {
      brokers.add(
          new Broker(
              node,
              HeraldProcess.freePort(),
              HeraldProcess.freePort(),
              root.resolve("broker-" + node)));
    }
    String voters =
        brokers.stream()
            .map(b -> b.nodeId + "@" + HOST + ":" + b.controllerPort)
            .collect(Collectors.joining(","));
    for (Broker broker : brokers) {
      try {
        Files.createDirectories(broker.dir);
        try (Writer out = Files.newBufferedWriter(broker.properties())) {
          properties(broker, voters, size).store(out, "broker " + broker.nodeId);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Process format =
          java(
              List.of(
                  "kafka.tools.StorageTool",
                  "format",
                  "-t",
                  clusterId,
                  "-c",
                  broker.properties().toString()),
              broker.dir.resolve("format.log"));
      if (await(format) != 0) {
        throw new IllegalStateException(
            "formatting broker " + broker.nodeId + " failed: " + read(broker.dir, "format.log"));
      }
    }
  }

  private static Properties properties(Broker broker, String voters, int size) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(broker.nodeId));
    p.put(
        "listeners",
        "PLAINTEXT://"
            + HOST
            + ":"
            + broker.port
            + ",CONTROLLER://"
            + HOST
            + ":"
            + broker.controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + broker.port);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("controller.quorum.voters", voters);
    p.put("log.dirs", broker.dir.resolve("data").toString());
    int replication = Math.min(3, size);
    p.put("offsets.topic.replication.factor", String.valueOf(replication));
    p.put("offsets.topic.num.partitions", "3");
    p.put("transaction.state.log.replication.factor", String.valueOf(replication));
    p.put("transaction.state.log.min.isr", String.valueOf(Math.max(1, replication - 1)));
    p.put("transaction.state.log.num.partitions", "3");
    p.put("share.coordinator.state.topic.replication.factor", String.valueOf(replication));
    p.put("share.coordinator.state.topic.min.isr", String.valueOf(Math.max(1, replication - 1)));
    p.put("default.replication.factor", String.valueOf(replication));
    p.put("min.insync.replicas", String.valueOf(Math.max(1, replication - 1)));
    p.put("auto.create.topics.enable", "false");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
    // Herald's largest record (an event of 1 MiB in its envelope and headers)
    p.put("message.max.bytes", String.valueOf(2 * 1024 * 1024));
    p.put("replica.fetch.max.bytes", String.valueOf(2 * 1024 * 1024));
    // a killed broker is fenced, and its partitions led elsewhere, within seconds (default 9 s)
    p.put("broker.session.timeout.ms", "6000");
    p.put("broker.heartbeat.interval.ms", "1000");
    return p;
  }

  /** The bootstrap list Herald and clients are given: every broker. */
  String bootstrap() {
    return brokers.stream().map(Broker::address).collect(Collectors.joining(","));
  }

  List<Broker> brokers() {
    return List.copyOf(brokers);
  }

  /** Waits until {@code expected} brokers are registered and unfenced. */
  void awaitBrokers(int expected, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    try (Admin admin = admin()) {
      while (System.nanoTime() < deadline) {
        for (Broker b : brokers) {
          if (b.process != null && !b.process.isAlive() && b.process.exitValue() != 0) {
            throw new IllegalStateException(
                "broker " + b.nodeId + " exited: " + read(b.dir, "broker.log"));
          }
        }
        try {
          int count =
              admin
                  .describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
                  .nodes()
                  .get(3, TimeUnit.SECONDS)
                  .size();
          if (count >= expected) {
            return;
          }
          last = count + " broker(s)";
        } catch (Exception e) {
          last = e.toString();
        }
        HeraldProcess.sleep(200);
      }
    }
    throw new IllegalStateException(
        "the Kafka cluster has not " + expected + " brokers after " + timeout + ": " + last);
  }

  Admin admin() {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap(),
            AdminClientConfig.CLIENT_ID_CONFIG,
            "cluster-test-" + UUID.randomUUID()));
  }

  private static Process java(List<String> mainAndArgs, Path log) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx384m");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(HeraldProcess.jar().toString());
    command.addAll(mainAndArgs);
    try {
      return new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int await(Process process) {
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String read(Path dir, String file) {
    try {
      String text = Files.readString(dir.resolve(file));
      return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    } catch (IOException e) {
      return "(no " + file + ")";
    }
  }

  @Override
  public void close() {
    for (Broker broker : brokers) {
      if (broker.running()) {
        broker.process.destroyForcibly();
        await(broker.process);
      }
    }
  }
}
