package dev.herald.it;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL restarted under load beneath a cluster of two Herald instances: a private server
 * (zonky's embedded PostgreSQL on a fixed port and data dir, never the machine's shared one) is
 * stopped for a few seconds and started again; delivery pauses and resumes and nothing acknowledged
 * is lost. Runs with {@code -Dherald.cluster=full} (README, "Cluster mode").
 */
@EnabledIfSystemProperty(named = "herald.cluster", matches = "full")
class ClusterStoreIT {
  private static final Duration OUTAGE = Duration.ofSeconds(8);

  @TempDir Path dir;

  @Test
  void aRestartedDatabasePausesDeliveryAndLosesNothing() throws Exception {
    int port = HeraldProcess.freePort();
    Path data = dir.resolve("postgres");
    EmbeddedPostgres postgres = postgres(port, data).start();
    String url = postgres.getJdbcUrl("postgres", "postgres");
    try (HeraldCluster cluster = HeraldCluster.start(dir, 1, 2, url)) {
      HeraldCluster.Load load = new HeraldCluster.Load();
      Thread publisher =
          cluster.startLoad(
              load, n -> cluster.instances.get(n % cluster.instances.size()), "store-restart");
      Thread.sleep(3_000);
      long stoppedAt = System.nanoTime();
      postgres.close();
      Thread.sleep(OUTAGE.toMillis());
      postgres = postgres(port, data).start();
      Thread.sleep(5_000);
      publisher.interrupt();
      publisher.join();

      Duration held = cluster.awaitAllDelivered(load, stoppedAt);
      cluster.report(
          "PostgreSQL stopped for " + OUTAGE.toSeconds() + " s and restarted", load, held);
      cluster.assertAllDelivered(load);
    } finally {
      postgres.close();
    }
  }

  private static EmbeddedPostgres.Builder postgres(int port, Path data) {
    return EmbeddedPostgres.builder()
        .setPort(port)
        .setDataDirectory(data)
        .setCleanDataDirectory(false);
  }
}
