package dev.herald.server.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.event.EntryValidator;
import dev.herald.core.event.Names;
import dev.herald.core.json.Json;
import dev.herald.server.http.ApiError;
import dev.herald.server.http.EventsApi;
import dev.herald.server.ingest.EntryResult;
import dev.herald.server.ingest.IngestService;
import dev.herald.server.limits.RateLimits;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * EventBridge's PutEvents on Herald's ingest: each AWS entry ({@code Source}, {@code DetailType},
 * {@code Detail} as JSON text, {@code EventBusName} as name or ARN, {@code Time} in epoch seconds,
 * {@code Resources}) becomes a native entry and goes through {@link IngestService} as {@code POST
 * /v1/events} does; entry errors take AWS's codes ({@code MalformedDetail}, {@code
 * InvalidArgument}, {@code ResourceNotFoundException}, {@code InternalFailure}). Stateless;
 * thread-safe.
 */
public final class EventBridgeEvents {
  private final IngestService ingest;
  private final Arns arns;

  public EventBridgeEvents(IngestService ingest, Arns arns) {
    this.ingest = ingest;
    this.arns = arns;
  }

  ObjectNode putEvents(AwsCall call, RateLimits limits) {
    List<ObjectNode> entries = call.objects("Entries");
    if (entries.isEmpty()) {
      throw AwsError.validation("Entries must hold at least one entry");
    }
    if (entries.size() > EventsApi.MAX_ENTRIES) {
      throw AwsError.validation(
          "Entries holds " + entries.size() + " entries; the limit is " + EventsApi.MAX_ENTRIES);
    }
    // entries whose Detail is not JSON fail here; the others go to ingest together
    JsonNode[] nativeOf = new JsonNode[entries.size()];
    ObjectNode[] early = new ObjectNode[entries.size()];
    List<JsonNode> toPublish = new ArrayList<>();
    List<Optional<String>> buses = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      try {
        nativeOf[i] = toNative(entries.get(i));
        toPublish.add(nativeOf[i]);
        String bus = nativeOf[i].path("bus").asText();
        buses.add(Names.isValid(bus) ? Optional.of(bus) : Optional.empty());
      } catch (AwsError e) {
        early[i] = failure(e.code(), e.getMessage());
      }
    }
    ObjectNode answer = Json.object();
    ArrayNode results = Json.MAPPER.createArrayNode();
    int failed = 0;
    List<EntryResult> published = List.of();
    if (!toPublish.isEmpty()) {
      call.principal().requirePublish(toPublish); // 403 → AccessDeniedException
      Optional<RateLimits.Refusal> refusal = limits.admitPublish(call.principal().keyId(), buses);
      if (refusal.isPresent()) {
        throw new AwsError(400, "ThrottlingException", refusal.get().message());
      }
      IngestService.Outcome outcome = ingest.publish(toPublish, Optional.empty(), 0);
      if (outcome.nothingStoredForLackOfEngine()) {
        throw new ApiError(
            503, "ServiceUnavailable", "the engine is unavailable; no entry was stored");
      }
      published = outcome.results();
    }
    int next = 0;
    for (int i = 0; i < entries.size(); i++) {
      if (early[i] != null) {
        results.add(early[i]);
        failed++;
        continue;
      }
      switch (published.get(next++)) {
        case EntryResult.Stored stored -> results.addObject().put("EventId", stored.eventId());
        case EntryResult.Failed f -> {
          results.add(failure(awsCode(f.code()), f.message()));
          failed++;
        }
      }
    }
    answer.put("FailedEntryCount", failed);
    answer.set("Entries", results);
    return answer;
  }

  private JsonNode toNative(ObjectNode entry) {
    ObjectNode out = Json.object();
    out.put("bus", arns.busName(entry.path("EventBusName").asText(EntryValidator.DEFAULT_BUS)));
    if (entry.hasNonNull("Source")) {
      out.set("source", entry.get("Source"));
    }
    if (entry.hasNonNull("DetailType")) {
      out.set("detailType", entry.get("DetailType"));
    }
    if (entry.hasNonNull("Detail")) {
      try {
        JsonNode detail = Json.MAPPER.readTree(entry.path("Detail").asText());
        if (detail == null || !detail.isObject()) {
          throw new AwsError(0, "MalformedDetail", "Detail is malformed: not a JSON object");
        }
        out.set("detail", detail);
      } catch (IOException e) {
        throw new AwsError(0, "MalformedDetail", "Detail is malformed: not valid JSON");
      }
    }
    if (entry.hasNonNull("Time")) {
      JsonNode time = entry.get("Time");
      if (!time.isNumber()) {
        throw new AwsError(0, "InvalidArgument", "Time must be a timestamp in epoch seconds");
      }
      BigDecimal seconds = time.decimalValue();
      out.put("time", Instant.ofEpochMilli(seconds.movePointRight(3).longValue()).toString());
    }
    if (entry.has("Resources")) {
      out.set("resources", entry.get("Resources"));
    }
    return out;
  }

  /** AWS's entry error code for a native one. */
  static String awsCode(String heraldCode) {
    return switch (heraldCode) {
      case "UnknownBus" -> "ResourceNotFoundException";
      case "EngineUnavailable" -> "InternalFailure";
      // EntryTooLarge, MissingField, InvalidField: AWS says InvalidArgument and names the problem
      default -> "InvalidArgument";
    };
  }

  private static ObjectNode failure(String code, String message) {
    return Json.object().put("ErrorCode", code).put("ErrorMessage", message);
  }
}
