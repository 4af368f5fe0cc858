package dev.herald.engine.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The one embedded broker of a test JVM, for every engine test to share: started on first use with
 * the default {@link EmbeddedConfig} in a temporary directory, stopped and deleted when the JVM
 * exits. Do not close it; give each test its own topics ({@link #newTopic}), since the broker does
 * not auto-create them.
 *
 * <p>Thread-safety: the lazy start is guarded by the class monitor.
 */
public final class SharedBroker {
  private static final AtomicInteger topics = new AtomicInteger();
  private static Engine engine; // guarded by SharedBroker.class
  private static Path dataDir; // guarded by SharedBroker.class

  private SharedBroker() {}

  /** The shared engine, started on the first call. Fails if an earlier test broke it. */
  public static synchronized Engine engine() {
    if (engine == null) {
      try {
        dataDir = Files.createTempDirectory("herald-shared-broker");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      engine = Engine.embedded(EmbeddedConfig.of(dataDir));
      Path dir = dataDir;
      Engine started = engine;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    started.close();
                    deleteRecursively(dir);
                  },
                  "shared-broker-stop"));
    }
    if (!engine.isHealthy()) {
      throw new IllegalStateException(
          "the shared test broker is unhealthy: " + engine.fault().orElse("closed by a test"));
    }
    return engine;
  }

  public static String bootstrapServers() {
    return engine().bootstrapServers();
  }

  /** Herald's data directory of the shared broker (Kafka's files are under {@code kafka/}). */
  public static synchronized Path dataDir() {
    engine();
    return dataDir;
  }

  /** Creates a topic with a name unique in this JVM, starting with {@code prefix}. */
  public static String newTopic(String prefix, int partitions) {
    String name = prefix + "-" + topics.incrementAndGet();
    createTopic(bootstrapServers(), name, partitions);
    return name;
  }

  /** Creates a topic on any broker (replication factor 1) and waits for the answer. */
  public static void createTopic(String bootstrap, String name, int partitions) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(props)) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot create topic " + name, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // best effort at JVM exit
    }
  }
}
