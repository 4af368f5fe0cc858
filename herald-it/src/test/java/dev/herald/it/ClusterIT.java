package dev.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.testing.TestPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Herald as a cluster: three KRaft brokers and two Herald instances, each its own JVM, sharing
 * PostgreSQL (the machine's, or an embedded one), one webhook target on a receiver in the test.
 * Each failure test publishes under load, breaks something, and prints what was published,
 * acknowledged, delivered, seen twice, and how long the failure held deliveries up; it asserts the
 * guarantees (nothing acknowledged is lost, no false 200), never a time.
 *
 * <p>The instance-kill test runs in the normal build; the others with {@code -Dherald.cluster=full}
 * (README, "Cluster mode").
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterIT {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterIT.class);

  private TestPostgres.Schema schema;
  private HeraldCluster cluster;

  @BeforeAll
  void startCluster(@TempDir Path dir) throws Exception {
    schema = TestPostgres.get().createSchema();
    cluster = HeraldCluster.start(dir, 3, 2, schema.jdbcUrl());
    LOG.info("cluster store: {}", TestPostgres.get().description());
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
    if (schema != null) {
      schema.close();
    }
  }

  @Test
  void aKilledInstancesDeliveriesMoveToTheOtherAndNothingAcknowledgedIsLost() throws Exception {
    HeraldProcess victim = cluster.instances.get(0);
    HeraldProcess survivor = cluster.instances.get(1);
    HeraldCluster.Load load = new HeraldCluster.Load();
    AtomicBoolean victimAlive = new AtomicBoolean(true);
    // both instances take publishes until the kill, then the survivor alone
    Thread publisher =
        cluster.startLoad(
            load, n -> victimAlive.get() && n % 2 == 0 ? victim : survivor, "kill-instance");
    Thread.sleep(4_000);
    victimAlive.set(false);
    long killedAt = System.nanoTime();
    victim.kill9();
    Thread.sleep(4_000);
    publisher.interrupt();
    publisher.join();

    Duration recovery = cluster.awaitAllDelivered(load, killedAt);
    cluster.report("kill -9 of an instance", load, recovery);
    cluster.assertAllDelivered(load);
  }

  /** Restarts the instances an earlier test killed: every test starts with both running. */
  @BeforeEach
  void everyInstanceRuns() {
    cluster.everyInstanceRuns();
  }

  @Test
  @EnabledIfSystemProperty(named = "herald.cluster", matches = "full")
  void oneBrokerLostCostsLatencyNeverARefusal() throws Exception {
    HeraldCluster.Load load = new HeraldCluster.Load();
    Thread publisher =
        cluster.startLoad(
            load, n -> cluster.instances.get(n % cluster.instances.size()), "kill-broker");
    Thread.sleep(3_000);
    KafkaCluster.Broker lost = cluster.kafka.brokers().get(0);
    long killedAt = System.nanoTime();
    lost.kill9();
    Thread.sleep(15_000);
    publisher.interrupt();
    publisher.join();

    Duration recovery = cluster.awaitAllDelivered(load, killedAt);
    cluster.report("kill -9 of one broker of three", load, recovery);
    assertThat(load.refused()).as("answers other than 200 while one broker was down").isEmpty();
    cluster.assertAllDelivered(load);

    lost.start();
    cluster.kafka.awaitBrokers(3, HeraldCluster.READY);
  }

  @Test
  @EnabledIfSystemProperty(named = "herald.cluster", matches = "full")
  void twoBrokersLostRefuseWithA503NeverAFalse200AndRecoverWhenTheyReturn() throws Exception {
    List<KafkaCluster.Broker> lost = cluster.kafka.brokers().subList(1, 3);
    lost.forEach(KafkaCluster.Broker::kill9);
    long sent = System.nanoTime();
    HttpResponse<String> refused =
        cluster.instances.get(0).post("/v1/events", HeraldCluster.batch("two-brokers", 0));
    Duration answeredAfter = Duration.ofNanos(System.nanoTime() - sent);

    lost.forEach(KafkaCluster.Broker::start);
    long restarted = System.nanoTime();
    cluster.kafka.awaitBrokers(3, HeraldCluster.READY);
    HeraldCluster.Load load = new HeraldCluster.Load();
    for (int n = 1; load.ids().isEmpty() && n < 600; n++) {
      cluster.publish(load, cluster.instances.get(n % 2), HeraldCluster.batch("two-brokers", n));
      Thread.sleep(200);
    }
    Duration recovered = Duration.ofNanos(System.nanoTime() - restarted);
    cluster.awaitAllDelivered(load, restarted);
    String line =
        ("cluster: two brokers of three killed: a publish answered %d after %.1f s (%s); after"
                + " they restarted ingest accepted again within %.1f s")
            .formatted(
                refused.statusCode(),
                answeredAfter.toMillis() / 1000.0,
                refused
                    .headers()
                    .firstValue("Retry-After")
                    .map(r -> "Retry-After " + r)
                    .orElse("no Retry-After"),
                recovered.toMillis() / 1000.0);
    LOG.info(line);
    System.out.println(line);
    assertThat(refused.statusCode()).isEqualTo(503);
    cluster.assertAllDelivered(load);
  }

  @Test
  @EnabledIfSystemProperty(named = "herald.cluster", matches = "full")
  void aRollingRestartOfEveryInstanceLosesNothing() throws Exception {
    HeraldCluster.Load load = new HeraldCluster.Load();
    Thread publisher =
        cluster.startLoad(
            load, n -> cluster.instances.get(n % cluster.instances.size()), "rolling");
    Thread.sleep(2_000);
    long restartedAt = System.nanoTime();
    for (HeraldProcess herald : cluster.instances) {
      herald.close(); // SIGTERM: a graceful stop, as Kubernetes does
      herald.restart();
      HeraldCluster.awaitReady(herald);
    }
    publisher.interrupt();
    publisher.join();

    Duration recovery = cluster.awaitAllDelivered(load, restartedAt);
    cluster.report("rolling restart of every instance", load, recovery);
    cluster.assertAllDelivered(load);
  }
}
