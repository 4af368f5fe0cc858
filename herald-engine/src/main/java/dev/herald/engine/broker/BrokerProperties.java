package dev.herald.engine.broker;

import java.nio.file.Path;
import java.util.Properties;

/**
 * The server properties of the embedded single-node KRaft broker (broker and controller in one
 * process). Stateless.
 */
final class BrokerProperties {
  static final String HOST = "127.0.0.1";
  static final int NODE_ID = 1;
  static final int SEGMENT_BYTES = EmbeddedConfig.MAX_MESSAGE_MAX_BYTES;
  static final int DEFAULT_PARTITIONS = 4;

  private BrokerProperties() {}

  /** Properties for one start; the ports change at every start, nothing persists them. */
  static Properties build(EmbeddedConfig config, Path logDir, int brokerPort, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(NODE_ID));
    p.put(
        "listeners",
        "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
    p.put("log.dirs", logDir.toString());
    internalTopics(p);
    // A restart after a crash waits for the previous broker session to expire: keep it short.
    p.put("broker.session.timeout.ms", "2500");
    p.put("broker.heartbeat.interval.ms", "500");
    p.put("group.initial.rebalance.delay.ms", "0");
    // The default dedupe buffer takes 128 MiB of heap; Herald's compacted topics are small.
    p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
    // Small segments: recovery after kill -9 rescans only the last segment of each partition.
    p.put("log.segment.bytes", String.valueOf(SEGMENT_BYTES));
    p.put("auto.create.topics.enable", "false");
    p.put("num.partitions", String.valueOf(DEFAULT_PARTITIONS));
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("message.max.bytes", String.valueOf(config.messageMaxBytes()));
    p.put("replica.fetch.max.bytes", String.valueOf(config.messageMaxBytes()));
    if (config.fsync()) {
      // Force every append to disk before it is acknowledged; see EmbeddedConfig#fsync.
      p.put("log.flush.interval.messages", "1");
    }
    return p;
  }

  /** Every internal topic: one replica, min ISR 1, one partition. */
  private static void internalTopics(Properties p) {
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("share.coordinator.state.topic.num.partitions", "1");
  }
}
