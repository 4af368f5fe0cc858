package dev.herald.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.event.EventId;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

/** Every acknowledged event survives a SIGKILL of Herald under load and a restart. */
class CrashRecoveryIT {
  private static final Logger LOG = LoggerFactory.getLogger(CrashRecoveryIT.class);

  @TempDir Path tmp;

  @Test
  void everyAcknowledgedEventSurvivesKillNineUnderLoad() throws Exception {
    Path dataDir = Files.createDirectories(tmp.resolve("data"));
    try (HeraldProcess herald = HeraldProcess.start(dataDir)) {
      herald.awaitReady(Duration.ofSeconds(60));
      Set<String> acked = ConcurrentHashMap.newKeySet();
      AtomicBoolean stop = new AtomicBoolean();
      try (var load = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int worker = 0; worker < 4; worker++) {
          int w = worker;
          load.submit(() -> publishUntilStopped(herald, w, acked, stop));
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
