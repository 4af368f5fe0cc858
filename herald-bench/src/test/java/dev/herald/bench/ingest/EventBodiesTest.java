package dev.herald.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventBodiesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @ValueSource(ints = {200, 300, 301, 1_000, 64 * 1024})
  void entriesSerializeToExactlyTheRequestedSize(int bytes) {
    EventBodies bodies = new EventBodies(7);
    for (int i = 0; i < 200; i++) {
      assertThat(EventBodies.bytes(bodies.entry(bytes))).hasSize(bytes);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 50, 120})
  void entriesSmallerThanTheirMinimumStayComplete(int bytes) {
    ObjectNode entry = new EventBodies(7).entry(bytes);

    assertThat(entry.path("detail").path("orderId").asText()).startsWith("o-");
    assertThat(EventBodies.bytes(entry).length).isLessThan(200);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 10, 100})
  void aRequestHoldsTheBatchOfValidEntries(int batch) throws Exception {
    byte[] body = new EventBodies(1).request(batch, 300);

    JsonNode entries = JSON.readTree(body).get("entries");
    assertThat(entries).hasSize(batch);
    for (JsonNode e : entries) {
      assertThat(e.path("source").asText()).isEqualTo("shop.orders");
      assertThat(e.path("detailType").asText()).isEqualTo("OrderPlaced");
      assertThat(e.path("detail").isObject()).isTrue();
      assertThat(JSON.writeValueAsBytes(e)).hasSize(300);
    }
    assertThat(body.length).isEqualTo(batch * 301 - 1 + "{\"entries\":[]}".length());
  }

  @ParameterizedTest
  @ValueSource(ints = {300})
  void theSameSeedGivesTheSameEventsAndEventsDiffer(int bytes) {
    byte[] a = new EventBodies(3).request(10, bytes);
    byte[] b = new EventBodies(3).request(10, bytes);
    byte[] c = new EventBodies(4).request(10, bytes);

    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(c);
  }
}
