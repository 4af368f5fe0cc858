package dev.herald.cli;

import dev.herald.core.config.DesiredState;
import dev.herald.core.config.file.HeraldFile;
import dev.herald.server.Herald;
import dev.herald.server.HeraldConfig;
import dev.herald.server.SecuritySettings;
import dev.herald.server.config.ConfigPlan;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code herald serve}: runs Herald until stopped (SIGTERM or Ctrl-C). */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run Herald: the embedded broker and store unless pointed at a cluster.",
    footer = {
      "",
      "HERALD_BOOTSTRAP_KEY (environment only): <id>.<secret> of an admin API key made sure to",
      "exist at start; needed to bind beyond loopback. HERALD_METRICS_PUBLIC=true: /metrics without",
      "a key.",
      "HERALD_SECRET_KEY (environment only): base64 of 32 random bytes that encrypt stored secrets;",
      "required with --store-url, else a key file is kept in the data dir.",
      "HERALD_ANALYTICS_MEMORY_LIMIT, HERALD_ANALYTICS_THREADS (environment only): the analytics",
      "store's DuckDB memory_limit (default 256MB) and threads (default 2)."
    })
final class ServeCommand implements Callable<Integer> {

  @Option(
      names = "--data-dir",
      defaultValue = "${env:HERALD_DATA_DIR:-herald-data}",
      description =
          "Where the embedded broker and store keep data (HERALD_DATA_DIR). Default: ${DEFAULT-VALUE}")
  Path dataDir;

  @Option(
      names = "--host",
      defaultValue = "${env:HERALD_HOST:-127.0.0.1}",
      description =
          "Address to bind (HERALD_HOST); beyond loopback an admin API key must exist"
              + " (HERALD_BOOTSTRAP_KEY). Default: ${DEFAULT-VALUE}")
  String host;

  @Option(
      names = "--port",
      defaultValue = "${env:HERALD_PORT:-8080}",
      description = "HTTP port, 0 for any free port (HERALD_PORT). Default: ${DEFAULT-VALUE}")
  int port;

  @Option(
      names = "--fsync",
      defaultValue = "${env:HERALD_FSYNC:-false}",
      description =
          "Flush every write of the embedded broker to disk before acknowledging (HERALD_FSYNC).")
  boolean fsync;

  @Option(
      names = "--kafka-bootstrap",
      defaultValue = "${env:HERALD_KAFKA_BOOTSTRAP}",
      description =
          "Use this Kafka cluster instead of the embedded broker (HERALD_KAFKA_BOOTSTRAP).")
  String kafkaBootstrap;

  @Option(
      names = "--store-url",
      defaultValue = "${env:HERALD_STORE_URL}",
      description = "PostgreSQL JDBC URL for the state store instead of SQLite (HERALD_STORE_URL).")
  String storeUrl;

  @Option(
      names = "--bus-partitions",
      defaultValue = "${env:HERALD_BUS_PARTITIONS}",
      description =
          "Partitions of each new bus topic (HERALD_BUS_PARTITIONS). Default: 4, or 12 with"
              + " --kafka-bootstrap")
  Integer busPartitions;

  @Option(
      names = "--tls-cert",
      defaultValue = "${env:HERALD_TLS_CERT}",
      paramLabel = "PEM",
      description = "Serve HTTPS with this certificate chain, PEM (HERALD_TLS_CERT)")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      defaultValue = "${env:HERALD_TLS_KEY}",
      paramLabel = "PEM",
      description = "The private key of --tls-cert, PKCS#8 PEM (HERALD_TLS_KEY)")
  Path tlsKey;

  @Option(
      names = "--config",
      defaultValue = "${env:HERALD_CONFIG}",
      paramLabel = "FILE",
      description =
          "A herald.yaml to apply at start: creates and updates, never deletes (HERALD_CONFIG)")
  Path configFile;

  @Option(
      names = "--env",
      defaultValue = "${env:HERALD_ENV}",
      paramLabel = "ENV",
      description = "The environment of --config to apply (HERALD_ENV)")
  String env;

  @Override
  public Integer call() throws InterruptedException {
    Optional<DesiredState> desired = Optional.empty();
    if (configFile != null) {
      HeraldFile.Loaded loaded = ConfigFiles.load(configFile, Optional.ofNullable(env));
      if (!loaded.valid()) {
        loaded.errors().forEach(System.err::println);
        return 1;
      }
      desired = Optional.of(DesiredState.parse(loaded.desired()).orThrow());
    }
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    HeraldConfig config =
        new HeraldConfig(
            dataDir,
            host,
            port,
            fsync,
            Optional.ofNullable(kafkaBootstrap),
            Optional.ofNullable(storeUrl),
            busPartitions != null
                ? busPartitions
                : HeraldConfig.defaultBusPartitions(kafkaBootstrap != null),
            Optional.ofNullable(System.getenv("HERALD_SECRET_KEY")));
    SecuritySettings security =
        new SecuritySettings(
            SecuritySettings.bootstrapKey(System.getenv(SecuritySettings.BOOTSTRAP_KEY)),
            Boolean.parseBoolean(System.getenv("HERALD_METRICS_PUBLIC")),
            Optional.ofNullable(tlsCert),
            Optional.ofNullable(tlsKey));
    Herald herald = Herald.start(config, security);
    if (desired.isPresent()) {
      try {
        ConfigPlan applied = herald.applyConfig(desired.get());
        System.err.println(
            "herald: applied "
                + configFile
                + (env == null ? "" : " (" + env + ")")
                + ": "
                + applied.changes().size()
                + " changes");
      } catch (RuntimeException e) {
        System.err.println("herald: cannot apply " + configFile + ": " + e.getMessage());
        herald.close();
        return 1;
      }
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  herald.close();
                  stopped.countDown();
                },
                "herald-shutdown"));
    stopped.await();
    return 0;
  }
}
