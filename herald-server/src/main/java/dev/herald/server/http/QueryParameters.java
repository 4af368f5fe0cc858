package dev.herald.server.http;

import dev.herald.core.config.ConfigException;
import io.helidon.http.Method;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The query parameters each endpoint takes; any other (or one given twice) is a 400 naming it, on
 * every endpoint, so a misspelt {@code ?limt=5} never silently means the default. An endpoint not
 * listed here takes none: a new endpoint with parameters adds its line. Stateless.
 */
final class QueryParameters {
  private record Endpoint(Method method, Pattern path, Set<String> names) {}

  private static final String SEGMENT = "[^/]+";
  private static final Set<String> PAGE = Set.of("limit", "after");

  private static final List<Endpoint> ENDPOINTS =
      List.of(
          endpoint(Method.GET, "/v1/buses", PAGE),
          endpoint(Method.GET, "/v1/buses/" + SEGMENT + "/rules", PAGE),
          endpoint(Method.GET, "/v1/buses/" + SEGMENT + "/replays", PAGE),
          endpoint(Method.GET, "/v1/buses/" + SEGMENT + "/tail", Set.of("pattern")),
          endpoint(
              Method.GET,
              "/v1/events",
              Set.of("bus", "source", "detailType", "from", "to", "limit", "after")),
          endpoint(Method.POST, "/v1/cloudevents", Set.of("bus")),
          endpoint(Method.GET, "/v1/stats", Set.of("target")),
          endpoint(Method.GET, "/v1/targets", PAGE),
          endpoint(Method.GET, "/v1/targets/" + SEGMENT + "/dlq", PAGE),
          endpoint(Method.DELETE, "/v1/targets/" + SEGMENT + "/dlq", Set.of("all")),
          endpoint(
              Method.GET,
              "/v1/audit",
              Set.of("from", "to", "source", "detailType", "limit", "after")),
          endpoint(
              Method.GET,
              "/v1/analytics/counts",
              Set.of("bus", "groupBy", "interval", "from", "to", "top")));

  private QueryParameters() {}

  private static Endpoint endpoint(Method method, String path, Set<String> names) {
    return new Endpoint(method, Pattern.compile(path + "/?"), names);
  }

  /**
   * @throws ConfigException.Invalid naming the first parameter the endpoint does not take, or one
   *     given more than once
   */
  static void check(Method method, String path, Iterable<String> names, Multiplicity counts) {
    Set<String> allowed = allowed(method, path);
    for (String name : new TreeSet<String>(toList(names))) {
      if (!allowed.contains(name)) {
        throw new ConfigException.Invalid(
            "UnknownField",
            name,
            "unknown query parameter '"
                + name
                + "'; "
                + (allowed.isEmpty()
                    ? method.text() + " " + path + " takes none"
                    : "allowed: " + new TreeSet<>(allowed)));
      }
      if (counts.count(name) > 1) {
        throw new ConfigException.Invalid(name, "query parameter '" + name + "' is given twice");
      }
    }
  }

  /** How many values a parameter has. */
  @FunctionalInterface
  interface Multiplicity {
    int count(String name);
  }

  private static Set<String> allowed(Method method, String path) {
    for (Endpoint endpoint : ENDPOINTS) {
      if (endpoint.method().equals(method) && endpoint.path().matcher(path).matches()) {
        return endpoint.names();
      }
    }
    return Set.of();
  }

  private static List<String> toList(Iterable<String> names) {
    List<String> list = new java.util.ArrayList<>();
    names.forEach(list::add);
    return list;
  }
}
