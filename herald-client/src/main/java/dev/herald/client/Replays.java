package dev.herald.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Replays of a bus's archive ({@code /v1/buses/{bus}/replays}), reached through {@link
 * HeraldClient#replays()}. Each replay is the API's JSON object: {@code name}, {@code bus}, {@code
 * state} ({@code running}, {@code completed}, {@code failed}, {@code cancelled}), {@code from},
 * {@code to}, {@code rules}, {@code eventsReplayed}, {@code eventsTotal}, {@code lastReplayedTime},
 * {@code lanes} (the targets held back by their backlog: {@code target}, {@code recordsBehind}),
 * {@code error}, {@code createdAt}, {@code updatedAt}, {@code finishedAt}, {@code changedBy}.
 * Errors are thrown as {@link HeraldClientException}. Thread-safe as the client.
 */
public final class Replays {
  private final HeraldClient client;

  Replays(HeraldClient client) {
    this.client = client;
  }

  /** One page of a bus's replays, ordered by name; {@code next} is empty on the last page. */
  public record Page(List<JsonNode> replays, Optional<String> next) {
    public Page {
      replays = List.copyOf(replays);
    }
  }

  /**
   * Starts replaying the events of {@code bus} ingested in [{@code from}, {@code to}) to the {@code
   * rules} named (all the bus's rules when empty).
   *
   * @throws HeraldClientException {@code BusNotFound} (404), {@code ReplayExists} (409), {@code
   *     InvalidField} or {@code UnknownRule} (400, naming the field)
   */
  public JsonNode start(String bus, String name, Instant from, Instant to, List<String> rules) {
    ObjectNode body = HeraldClient.MAPPER.createObjectNode();
    body.put("name", name);
    body.put("from", from.toString());
    body.put("to", to.toString());
    if (!rules.isEmpty()) {
      ArrayNode names = body.putArray("rules");
      rules.forEach(names::add);
    }
    return client.call("POST", path(bus), body.toString());
  }

  /** A replay as it stands. */
  public JsonNode get(String bus, String name) {
    return client.call("GET", path(bus) + "/" + HeraldClient.encode(name), null);
  }

  /** A page of a bus's replays. */
  public Page list(String bus, int limit, Optional<String> after) {
    String query = path(bus) + "?limit=" + limit;
    if (after.isPresent()) {
      query += "&after=" + HeraldClient.encode(after.get());
    }
    JsonNode answer = client.call("GET", query, null);
    List<JsonNode> replays = new ArrayList<>();
    answer.path("replays").forEach(replays::add);
    JsonNode next = answer.path("next");
    return new Page(replays, next.isTextual() ? Optional.of(next.asText()) : Optional.empty());
  }

  /**
   * Cancels a running replay; answers it, {@code cancelled}.
   *
   * @throws HeraldClientException {@code ReplayNotRunning} (409) when it ended already
   */
  public JsonNode cancel(String bus, String name) {
    return client.call("DELETE", path(bus) + "/" + HeraldClient.encode(name), null);
  }

  private static String path(String bus) {
    return "v1/buses/" + HeraldClient.encode(bus) + "/replays";
  }
}
