package dev.herald.server;

import static dev.herald.server.TestHerald.get;
import static dev.herald.server.TestHerald.postJson;
import static dev.herald.server.TestHerald.put;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.json.Json;
import dev.herald.targets.BusPublisher;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** Bus targets through a real Herald: re-publishing, dedupe by delivery key, the hop limit. */
class BusTargetTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private final Herald herald = TestHerald.shared();
  private final String id = UUID.randomUUID().toString().substring(0, 8);

  private void ok(TestHerald.Answer answer) {
    assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(200);
  }

  private void bus(String name) {
    ok(put(herald, "/v1/buses/" + name, "{}"));
  }

  private void busTarget(String name, String bus) {
    ok(put(herald, "/v1/targets/" + name, "{'type':'bus','bus':{'bus':'" + bus + "'}}"));
  }

  private void webhook(String name, String url) {
    ok(
        put(
            herald,
            "/v1/targets/" + name,
            "{'type':'webhook','webhook':{'url':'" + url + "'},'circuit':{'enabled':false}}"));
  }

  private void rule(String bus, String name, String source, String... targets) {
    StringBuilder list = new StringBuilder();
    for (String target : targets) {
      list.append(list.isEmpty() ? "" : ",").append("{'target':'").append(target).append("'}");
    }
    ok(
        put(
            herald,
            "/v1/buses/" + bus + "/rules/" + name,
            "{'pattern':{'source':['" + source + "']},'targets':[" + list + "]}"));
  }

  private String publish(String entry) {
    JsonNode answer = postJson(herald, "{'entries':[" + entry + "]}").body();
    assertThat(answer.get("failedEntryCount").asInt()).as(answer.toString()).isZero();
    return answer.at("/entries/0/eventId").asText();
  }

  private JsonNode deadLetters(String target) {
    return get(herald, "/v1/targets/" + target + "/dlq").body().get("entries");
  }

  private List<TargetTopics.Routed> busRecords(String bus) {
    return TargetTopics.readTopic(herald.kafkaBootstrap(), "herald.bus." + bus);
  }

  @Test
  void anEventRoutedToABusTargetBecomesANewEventOnTheOtherBusThatItsRulesRoute() throws Exception {
    String a = "a-" + id;
    String b = "b-" + id;
    String source = "shop." + id;
    try (Receiver receiver = new Receiver(() -> 204)) {
      bus(a);
      bus(b);
      busTarget("to-b-" + id, b);
      webhook("hook-" + id, receiver.url());
      rule(a, "forward", source, "to-b-" + id);
      rule(b, "notify", source, "hook-" + id);

      String original =
          publish(
              "{'bus':'"
                  + a
                  + "','source':'"
                  + source
                  + "','detailType':'OrderPlaced','time':'2026-11-26T10:00:00Z',"
                  + "'resources':['arn:order/o-1'],'detail':{'orderId':'o-1','total':42.5}}");

      await().atMost(WAIT).until(() -> !receiver.calls.isEmpty());
      JsonNode envelope = Json.MAPPER.readTree(receiver.calls.getFirst().body());
      String republished = envelope.get("id").asText();
      assertThat(republished).isNotEqualTo(original);
      assertThat(envelope.get("source").asText()).isEqualTo(source);
      assertThat(envelope.get("detail-type").asText()).isEqualTo("OrderPlaced");
      assertThat(envelope.get("detail"))
          .isEqualTo(Json.MAPPER.readTree("{\"orderId\":\"o-1\",\"total\":42.5}"));
      assertThat(envelope.get("time").asText()).isEqualTo("2026-11-26T10:00:00Z");
      assertThat(envelope.at("/resources/0").asText()).isEqualTo("arn:order/o-1");
      assertThat(receiver.calls.getFirst().header("herald-event-id")).isEqualTo(republished);
      assertThat(get(herald, "/v1/events/" + republished).body().at("/event/bus").asText())
          .isEqualTo(b);
      await()
          .atMost(WAIT)
          .until(
              () ->
                  "delivered"
                      .equals(
                          get(herald, "/v1/events/" + original)
                              .body()
                              .at("/deliveries/0/status")
                              .asText()));
      // the hop travels with the event: on bus b's record and, copied by the router, to its targets
      assertThat(busRecords(b)).singleElement().extracting(r -> r.hops()).isEqualTo("1");
      assertThat(TargetTopics.read(herald.kafkaBootstrap(), "hook-" + id))
          .singleElement()
          .extracting(r -> r.hops())
          .isEqualTo("1");
      assertThat(busRecords(a)).singleElement().extracting(r -> r.hops()).isNull();
    }
  }

  @Test
  void oneDeliveryHandedToABusTargetTwicePublishesOneEvent() {
    String a = "dup-a-" + id;
    String b = "dup-b-" + id;
    String source = "dup." + id;
    String target = "dup-to-b-" + id;
    bus(a);
    bus(b);
    busTarget(target, b);
    // an event on a that no rule routes: the two records below are deliveries of it
    String eventId =
        publish("{'bus':'" + a + "','source':'" + source + "','detailType':'T','detail':{'n':1}}");
    String envelope =
        "{\"version\":\"0\",\"id\":\""
            + eventId
            + "\",\"detail-type\":\"T\",\"source\":\""
            + source
            + "\",\"account\":\"000000000000\",\"time\":\"2026-11-26T10:00:00Z\","
            + "\"region\":\"local\",\"resources\":[],\"detail\":{\"n\":1}}";

    // the same delivery twice in one batch, as the router writes it again after a crash: the
    // second record joins the delivery in progress, so the target is invoked once (were it
    // invoked twice, as after a crash between the publish and its journal entry, the delivery key
    // is the entry's client id, and ingest stores one event: herald-targets' BusTargetTest and
    // PublishApiTest)
    sendTwice(target, a, eventId, "dk-" + id + "-0000000000000000000000", envelope);

    await().atMost(WAIT).until(() -> attempts(target, "Delivered") >= 1 && joined() >= 1);
    assertThat(attempts(target, "Delivered")).as("the target was invoked once").isEqualTo(1);
    assertThat(busRecords(b)).hasSize(1);
    assertThat(busRecords(b).getFirst().value()).contains(source);
  }

  private long joined() {
    String text = new String(get(herald, "/metrics").raw().body(), UTF_8);
    return text.lines()
        .filter(l -> l.startsWith("herald_delivery_joined_total"))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private void sendTwice(
      String target, String bus, String eventId, String deliveryKey, String envelope) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, herald.kafkaBootstrap());
    props.put(ProducerConfig.LINGER_MS_CONFIG, 60_000); // both records in one batch: flush sends
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      for (int i = 0; i < 2; i++) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("herald-event-id", eventId.getBytes(UTF_8));
        headers.add("herald-bus", bus.getBytes(UTF_8));
        headers.add("herald-rule", "by-hand".getBytes(UTF_8));
        headers.add("herald-delivery-key", deliveryKey.getBytes(UTF_8));
        headers.add(
            "herald-ingested-at", Long.toString(System.currentTimeMillis()).getBytes(UTF_8));
        headers.add("herald-input", "json".getBytes(UTF_8));
        var unused = // flushed below
            producer.send(
                new ProducerRecord<>(
                    "herald.target." + target,
                    null,
                    "k".getBytes(UTF_8),
                    envelope.getBytes(UTF_8),
                    headers));
      }
      producer.flush();
    }
  }

  /** Attempts of a target with one result ({@code Delivered}...), from the metrics. */
  private long attempts(String target, String result) {
    String text = new String(get(herald, "/metrics").raw().body(), UTF_8);
    return text.lines()
        .filter(l -> l.startsWith("herald_delivery_attempts_total{"))
        .filter(l -> l.contains("target=\"" + target + "\""))
        .filter(l -> l.contains("result=\"" + result + "\""))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  @Test
  void aRuleWhoseBusTargetRepublishesOnItsOwnBusStopsAtTheHopLimitWithADeadLetter() {
    String loop = "loop-" + id;
    String source = "loop." + id;
    String again = "again-" + id;
    try (Receiver receiver = new Receiver(() -> 204)) {
      bus(loop);
      busTarget(again, loop);
      webhook("seen-" + id, receiver.url());
      rule(loop, "echo", source, again, "seen-" + id);

      String original =
          publish("{'bus':'" + loop + "','source':'" + source + "','detailType':'T','detail':{}}");

      await().atMost(WAIT).until(() -> !deadLetters(again).isEmpty());
      JsonNode letter = deadLetters(again).get(0);
      assertThat(letter.at("/error/code").asText()).isEqualTo("HopLimitExceeded");
      assertThat(letter.at("/error/message").asText())
          .contains("'" + loop + "'")
          .contains(BusPublisher.MAX_HOPS + " times");
      // the producer's event and one per hop, no more: the last one's delivery is the dead letter
      List<String> hops = busRecords(loop).stream().map(TargetTopics.Routed::hops).toList();
      List<String> expected = new java.util.ArrayList<>();
      expected.add(null);
      for (int hop = 1; hop <= BusPublisher.MAX_HOPS; hop++) {
        expected.add(Integer.toString(hop));
      }
      assertThat(hops).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(letter.at("/event/id").asText()).isNotEqualTo(original);
      await().atMost(WAIT).until(() -> receiver.calls.size() >= BusPublisher.MAX_HOPS + 1);
      assertThat(receiver.calls).hasSize(BusPublisher.MAX_HOPS + 1);
      assertThat(deadLetters(again)).hasSize(1);
    }
  }

  @Test
  void aBusTargetMustNameABusThatExistsWhenStored() {
    var answer =
        put(
            herald,
            "/v1/targets/nowhere-" + id,
            "{'type':'bus','bus':{'bus':'no-bus-" + id + "'}}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.body().at("/error/field").asText()).isEqualTo("bus.bus");
    assertThat(answer.body().at("/error/message").asText()).contains("no-bus-" + id);
    assertThat(get(herald, "/v1/targets/nowhere-" + id).status()).isEqualTo(404);
  }

  @Test
  void aBusTargetGivenShapedInputDeadLettersItAsNotAnEnvelope() {
    String a = "shape-" + id;
    String target = "shaped-" + id;
    bus(a);
    busTarget(target, "default");
    ok(
        put(
            herald,
            "/v1/buses/" + a + "/rules/shaped",
            "{'pattern':{'source':['shape."
                + id
                + "']},"
                + "'targets':[{'target':'"
                + target
                + "','inputPath':'$.detail'}]}"));

    publish("{'bus':'" + a + "','source':'shape." + id + "','detailType':'T','detail':{'n':1}}");

    await().atMost(WAIT).until(() -> !deadLetters(target).isEmpty());
    assertThat(deadLetters(target).get(0).at("/error/code").asText()).isEqualTo("NotAnEnvelope");
  }
}
