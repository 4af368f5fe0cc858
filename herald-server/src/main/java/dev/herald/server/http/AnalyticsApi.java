package dev.herald.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.analytics.AnalyticsStore;
import dev.herald.analytics.AnalyticsUnavailableException;
import dev.herald.core.analytics.CountQuery;
import dev.herald.core.analytics.CountSeries;
import dev.herald.core.json.Json;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/analytics/counts}: event counts per detail type or source and interval, from the
 * analytics store (API.md). Errors name the query parameter; a store that cannot answer is a 503
 * with {@code Retry-After}. Stateless; thread-safe.
 */
public final class AnalyticsApi {
  static final String RETRY_AFTER_SECONDS = "1";

  private final AnalyticsStore store;
  private final InstantSource clock;

  public AnalyticsApi(AnalyticsStore store, InstantSource clock) {
    this.store = store;
    this.clock = clock;
  }

  public void register(HttpRouting.Builder routing) {
    routing.get("/v1/analytics/counts", this::counts);
  }

  private void counts(ServerRequest req, ServerResponse res) {
    Map<String, String> parameters = new HashMap<>();
    for (String name : req.query().names()) {
      parameters.put(name, req.query().first(name).orElse(""));
    }
    CountQuery query = CountQuery.parse(parameters, clock.instant());
    List<CountSeries> series;
    try {
      series = store.counts(query);
    } catch (AnalyticsUnavailableException e) {
      res.header("Retry-After", RETRY_AFTER_SECONDS);
      throw new ApiError(
          503, "StoreUnavailable", "the analytics store cannot answer: " + e.getMessage());
    }
    Http.send(res, 200, json(query, series));
  }

  static ObjectNode json(CountQuery query, List<CountSeries> series) {
    ObjectNode body = Json.object();
    query.bus().ifPresent(bus -> body.put("bus", bus));
    body.put("groupBy", query.groupBy().wireName());
    body.put("interval", query.interval().wireName());
    body.put("from", query.from().toString());
    body.put("to", query.to().toString());
    ArrayNode array = body.putArray("series");
    for (CountSeries one : series) {
      ObjectNode node = array.addObject();
      node.put("key", one.key());
      node.put("total", one.total());
      ArrayNode points = node.putArray("points");
      one.points()
          .forEach(p -> points.addObject().put("t", p.t().toString()).put("count", p.count()));
    }
    return body;
  }
}
