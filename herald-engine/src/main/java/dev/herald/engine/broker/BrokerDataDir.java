package dev.herald.engine.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Properties;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded broker's files under {@code <dataDir>/kafka}:
 *
 * <ul>
 *   <li>{@code logs/} — Kafka's {@code log.dirs} (data and KRaft metadata);
 *   <li>{@code cluster.id} — the cluster id generated on first start, reused afterwards;
 *   <li>{@code bootstrap} — the running broker's address, one line, for tools (ports change at
 *       every start; removed on a clean stop, stale after a crash);
 *   <li>{@code herald.lock} — locked while an engine runs on this directory, so that a second one
 *       fails before Kafka touches the files (Kafka locks its data logs late, after its controller
 *       has already opened the metadata log).
 * </ul>
 *
 * <p>Immutable (paths only); the files themselves are written by the thread that starts or stops
 * the engine.
 */
final class BrokerDataDir {
  private static final Logger log = LoggerFactory.getLogger(BrokerDataDir.class);

  private final Path root;

  private BrokerDataDir(Path root) {
    this.root = root;
  }

  /** Creates {@code <dataDir>/kafka/logs} if needed. */
  static BrokerDataDir open(Path dataDir) {
    BrokerDataDir dir = new BrokerDataDir(dataDir.resolve("kafka"));
    try {
      Files.createDirectories(dir.logDir());
    } catch (IOException e) {
      throw new EngineStartException(
          "Cannot create the Kafka data directory " + dir.logDir() + ": " + e, e);
    }
    return dir;
  }

  Path root() {
    return root;
  }

  Path logDir() {
    return root.resolve("logs");
  }

  Path bootstrapFile() {
    return root.resolve("bootstrap");
  }

  private Path clusterIdFile() {
    return root.resolve("cluster.id");
  }

  private Path metaProperties() {
    return logDir().resolve("meta.properties");
  }

  /**
   * Locks this directory for one engine until the returned lock is closed.
   *
   * @throws EngineStartException when another engine, in this process or another, holds it
   */
  Lock lock() {
    Path file = root.resolve("herald.lock");
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new OverlappingFileLockException();
      }
      return new Lock(channel);
    } catch (IOException | OverlappingFileLockException e) {
      closeQuietly(channel);
      throw new EngineStartException(
          "The Kafka data directory "
              + root
              + " is in use by another Herald engine ("
              + file
              + " is locked). Stop it, or give this one another data directory.",
          e);
    }
  }

  /** Holds {@code herald.lock}; closing releases it. Closed once, by the engine's closer. */
  static final class Lock implements AutoCloseable {
    private final FileChannel channel;

    private Lock(FileChannel channel) {
      this.channel = channel;
    }

    @Override
    public void close() {
      closeQuietly(channel);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close(); // releases the lock
    } catch (IOException e) {
      log.warn("Cannot release the data directory lock: {}", e.toString());
    }
  }

  /** True once {@link #format} succeeded here (Kafka's own {@code meta.properties} exists). */
  boolean isFormatted() {
    return Files.exists(metaProperties());
  }

  /**
   * The cluster id: Kafka's {@code meta.properties} when formatted (the broker trusts it), else
   * {@code cluster.id}, else a new random id. Kept in {@code cluster.id} either way.
   */
  String clusterId() {
    try {
      Optional<String> kept = readClusterIdFile();
      Optional<String> formatted = isFormatted() ? readMetaClusterId() : Optional.empty();
      if (formatted.isPresent() && kept.isPresent() && !formatted.equals(kept)) {
        log.warn(
            "{} says cluster id {} but {} says {}; using the latter",
            clusterIdFile(),
            kept.get(),
            metaProperties(),
            formatted.get());
      }
      String id = formatted.or(() -> kept).orElseGet(() -> Uuid.randomUuid().toString());
      if (!kept.equals(Optional.of(id))) {
        writeAtomically(clusterIdFile(), id + "\n");
      }
      return id;
    } catch (IOException e) {
      throw new EngineStartException(
          "Cannot read or write the cluster id in " + root + ": " + e, e);
    }
  }

  /** Formats the storage the way {@code kafka-storage.sh format -t <id> -c <file>} does. */
  void format(Properties serverProperties, String clusterId) {
    Path file = root.resolve("format.properties");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        serverProperties.store(writer, "written by Herald to format the embedded broker");
      }
      String[] args = {"format", "-t", clusterId, "-c", file.toString(), "--ignore-formatted"};
      int status = StorageTool.execute(args, print);
      if (status != 0) {
        throw new EngineStartException(
            "Formatting Kafka storage in " + logDir() + " failed (status " + status + "): " + out);
      }
      log.debug(
          "Formatted Kafka storage in {}: {}", logDir(), out.toString(StandardCharsets.UTF_8));
    } catch (EngineStartException e) {
      throw e;
    } catch (Exception e) { // StorageTool is Scala: it may throw checked exceptions undeclared
      throw new EngineStartException(
          "Formatting Kafka storage in " + logDir() + " failed: " + e + " " + out, e);
    } finally {
      deleteQuietly(file);
    }
  }

  void writeBootstrap(String bootstrap) {
    try {
      writeAtomically(bootstrapFile(), bootstrap + "\n");
    } catch (IOException e) {
      throw new EngineStartException("Cannot write " + bootstrapFile() + ": " + e, e);
    }
  }

  void deleteBootstrap() {
    deleteQuietly(bootstrapFile());
  }

  private Optional<String> readClusterIdFile() throws IOException {
    if (!Files.exists(clusterIdFile())) {
      return Optional.empty();
    }
    String id = Files.readString(clusterIdFile(), StandardCharsets.UTF_8).strip();
    return id.isEmpty() ? Optional.empty() : Optional.of(id);
  }

  private Optional<String> readMetaClusterId() throws IOException {
    Properties meta = new Properties();
    try (Reader reader = Files.newBufferedReader(metaProperties(), StandardCharsets.UTF_8)) {
      meta.load(reader);
    }
    return Optional.ofNullable(meta.getProperty("cluster.id")).map(String::strip);
  }

  private static void writeAtomically(Path target, String content) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.writeString(
        tmp,
        content,
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE,
        StandardOpenOption.SYNC);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("Cannot delete {}: {}", file, e.toString());
    }
  }
}
