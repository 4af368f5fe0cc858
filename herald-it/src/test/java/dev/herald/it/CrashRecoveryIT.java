package dev.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.event.EventId;
import dev.herald.core.routing.DeliveryKey;
import dev.herald.engine.router.TargetHeaders;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every acknowledged event survives a SIGKILL of Herald under load and a restart, and every matched
 * (event, rule, target) reaches its target topic, duplicates carrying one delivery key.
 */
class CrashRecoveryIT {
  private static final Logger LOG = LoggerFactory.getLogger(CrashRecoveryIT.class);

  @TempDir Path tmp;

  @Test
  void everyAcknowledgedEventSurvivesKillNineUnderLoad() throws Exception {
    Path dataDir = Files.createDirectories(tmp.resolve("data"));
    try (HeraldProcess herald = HeraldProcess.start(dataDir)) {
      herald.awaitReady(Duration.ofSeconds(60));
      configureRoutes(herald);
      Set<String> acked = ConcurrentHashMap.newKeySet();
      AtomicBoolean stop = new AtomicBoolean();
      try (var load = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int worker = 0; worker < 4; worker++) {
          int w = worker;
          var unused = load.submit(() -> publishUntilStopped(herald, w, acked, stop));
        }
        waitForAcks(acked, 2_000);
        herald.kill9();
        stop.set(true);
      }
      LOG.info("{} events acknowledged before SIGKILL", acked.size());
      assertThat(acked).hasSizeGreaterThanOrEqualTo(2_000);

      herald.restart();
      Duration ready = herald.awaitReady(Duration.ofSeconds(60));
      LOG.info("ready {} ms after a restart from SIGKILL", ready.toMillis());

      int ordinal = EventId.parse(acked.iterator().next()).orElseThrow().busOrdinal();
      Set<String> onTopic = idsOnTopic(herald.runtime().getProperty("kafka.bootstrap"), ordinal);
      assertThat(onTopic).containsAll(acked);
      assertEveryMatchRouted(herald, acked);

      List<String> sample = new ArrayList<>(acked).subList(0, 100);
      for (String id : sample) {
        HttpResponse<String> read = herald.get("/v1/events/" + id);
        assertThat(read.statusCode()).as(id).isEqualTo(200);
        assertThat(HeraldProcess.json(read).at("/event/id").asText()).isEqualTo(id);
      }
      var after =
          herald.post(
              "/v1/events",
              "{\"entries\":[{\"source\":\"s\",\"detailType\":\"After\",\"detail\":{}}]}");
      assertThat(after.statusCode()).isEqualTo(200);
    }
  }

  /** Rule "all" sends every event to target "all"; rule "high" sends i >= 25 to both targets. */
  private static void configureRoutes(HeraldProcess herald) {
    put(herald, "/v1/targets/all", "{\"type\":\"log\"}");
    put(herald, "/v1/targets/high", "{\"type\":\"log\"}");
    put(
        herald,
        "/v1/buses/default/rules/all",
        "{\"pattern\":{\"source\":[\"crash.test\"]},\"targets\":[{\"target\":\"all\"}]}");
    put(
        herald,
        "/v1/buses/default/rules/high",
        "{\"pattern\":{\"source\":[\"crash.test\"],\"detail\":{\"i\":[{\"numeric\":[\">=\",25]}]}},"
            + "\"targets\":[{\"target\":\"all\"},{\"target\":\"high\"}]}");
  }

  private static void put(HeraldProcess herald, String path, String json) {
    HttpResponse<String> answer = herald.put(path, json);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
  }

  private static void assertEveryMatchRouted(HeraldProcess herald, Set<String> acked)
      throws Exception {
    String bootstrap = herald.runtime().getProperty("kafka.bootstrap");
    int ordinal = EventId.parse(acked.iterator().next()).orElseThrow().busOrdinal();
    Set<String> expected = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r :
        BusTopicReader.readAll(bootstrap, "herald.bus.default")) {
      String id = new EventId(r.timestamp(), ordinal, r.partition(), r.offset()).toString();
      if (!acked.contains(id)) {
        continue; // published but never acknowledged (the request died with Herald)
      }
      int i = HeraldProcess.JSON.readTree(r.value()).at("/detail/i").asInt();
      expected.add(id + "|all|all");
      if (i >= 25) {
        expected.add(id + "|high|all");
        expected.add(id + "|high|high");
      }
    }
    Map<String, Set<String>> keys = new HashMap<>();
    long records;
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    do {
      keys.clear();
      records = 0;
      for (String target : List.of("all", "high")) {
        for (ConsumerRecord<byte[], byte[]> r :
            BusTopicReader.readAll(bootstrap, "herald.target." + target)) {
          TargetHeaders.Meta meta = TargetHeaders.read(r.headers(), r.timestamp()).orElseThrow();
          String delivery = meta.eventId() + "|" + meta.rule() + "|" + target;
          keys.computeIfAbsent(delivery, k -> new HashSet<>()).add(meta.deliveryKey());
          records++;
        }
      }
      if (keys.keySet().containsAll(expected)) {
        break;
      }
      Thread.sleep(500);
    } while (System.nanoTime() < deadline);
    assertThat(keys.keySet()).containsAll(expected);
    for (var entry : keys.entrySet()) {
      String[] parts = entry.getKey().split("\\|", -1);
      assertThat(entry.getValue())
          .as("one delivery key per delivery " + entry.getKey())
          .containsExactly(DeliveryKey.of(parts[0], parts[1], parts[2], Optional.empty()));
    }
    LOG.info(
        "{} deliveries of {} acknowledged events routed across the crash; {} target records"
            + " written twice (same delivery key)",
        expected.size(),
        acked.size(),
        records - keys.size());
  }

  private static void publishUntilStopped(
      HeraldProcess herald, int worker, Set<String> acked, AtomicBoolean stop) {
    StringBuilder batch = new StringBuilder("{\"entries\":[");
    for (int i = 0; i < 50; i++) {
      batch
          .append(i == 0 ? "" : ",")
          .append("{\"source\":\"crash.test\",\"detailType\":\"Tick\",\"orderingKey\":\"k")
          .append(i % 7)
          .append("\",\"detail\":{\"worker\":")
          .append(worker)
          .append(",\"i\":")
          .append(i)
          .append("}}");
    }
    String body = batch.append("]}").toString();
    while (!stop.get()) {
      try {
        HttpResponse<String> answer = herald.post("/v1/events", body);
        if (answer.statusCode() == 200) {
          for (JsonNode entry : HeraldProcess.json(answer).get("entries")) {
            if (entry.has("eventId")) {
              acked.add(entry.get("eventId").asText());
            }
          }
        }
      } catch (UncheckedIOException e) {
        return; // Herald was killed mid-request: that request was never acknowledged
      }
    }
  }

  private static void waitForAcks(Set<String> acked, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (acked.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  private static Set<String> idsOnTopic(String bootstrap, int ordinal) {
    List<ConsumerRecord<byte[], byte[]>> records =
        BusTopicReader.readAll(bootstrap, "herald.bus.default");
    return records.stream()
        .map(r -> new EventId(r.timestamp(), ordinal, r.partition(), r.offset()).toString())
        .collect(Collectors.toSet());
  }
}
