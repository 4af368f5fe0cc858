package dev.herald.core.routing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.event.PublishedEvent;
import dev.herald.core.json.Json;
import java.util.Optional;

/**
 * The delivered envelope: what patterns, templates, JSONPaths and targets see, in EventBridge's
 * shape, so existing EventBridge rules and consumer code work unchanged: {@code
 * {"version":"0","id","detail-type","source","account","time","region","resources","detail"}} plus
 * {@code "replay-name"} on replayed deliveries.
 */
public final class Envelope {
  public static final String DEFAULT_ACCOUNT = "000000000000";
  public static final String DEFAULT_REGION = "local";

  private Envelope() {}

  public static ObjectNode of(
      PublishedEvent event, String account, String region, Optional<String> replayName) {
    ObjectNode node = Json.object();
    node.put("version", "0");
    node.put("id", event.id().toString());
    node.put("detail-type", event.detailType());
    node.put("source", event.source());
    node.put("account", account);
    node.put("time", event.time().toString());
    node.put("region", region);
    ArrayNode resources = node.putArray("resources");
    event.resources().forEach(resources::add);
    node.set("detail", event.detail());
    replayName.ifPresent(name -> node.put("replay-name", name));
    return node;
  }
}
