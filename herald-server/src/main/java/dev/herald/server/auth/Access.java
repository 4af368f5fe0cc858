package dev.herald.server.auth;

import dev.herald.core.auth.Scope;
import dev.herald.core.event.Names;
import java.util.List;

/**
 * What a request needs, decided from its method and path alone before it is routed: nothing
 * (health), one of some scopes, or any publish scope (the bus of each entry is checked once the
 * body is read: {@link Principal#requirePublish}). Stateless.
 */
sealed interface Access {

  /** Open to everyone (health checks; {@code /metrics} when public). */
  record Open() implements Access {}

  /** Allowed to a key holding a scope that covers one of these (the first is named in a 403). */
  record AnyOf(List<Scope> scopes) implements Access {}

  /** Allowed to a key holding any publish scope; each entry's bus is checked later. */
  record AnyPublish() implements Access {}

  Access OPEN = new Open();
  Access READ = new AnyOf(List.of(Scope.READ));
  Access ADMIN = new AnyOf(List.of(Scope.ADMIN));

  /** The console's static files hold no data: its API calls carry the key. */
  private static boolean isConsoleFile(String method, String path) {
    return (method.equals("GET") || method.equals("HEAD"))
        && (path.equals("/console") || path.startsWith("/console/"));
  }

  /** Decides what {@code method} on {@code path} needs. */
  static Access of(String method, String path, boolean metricsPublic) {
    if (path.equals("/health") || path.startsWith("/health/") || isConsoleFile(method, path)) {
      return OPEN;
    }
    if (path.equals("/metrics")) {
      return metricsPublic ? OPEN : READ;
    }
    if (path.equals("/") && method.equals("POST")) {
      return OPEN; // the AWS protocol authenticates itself (SigV4): dev.herald.server.aws.AwsApi
    }
    boolean read = method.equals("GET") || method.equals("HEAD");
    String[] parts = path.split("/", -1); // "", "v1", "queues", "<target>", ...
    if (parts.length >= 4
        && parts[1].equals("v1")
        && parts[2].equals("queues")
        && Names.isValid(parts[3])) { // an invalid name needs read or admin, as elsewhere
      Scope queue = Scope.queue(parts[3]);
      if (parts.length == 4 && read) {
        return new AnyOf(List.of(queue, Scope.READ));
      }
      if (parts.length == 5 && method.equals("POST")) {
        return new AnyOf(List.of(queue));
      }
    }
    if ((path.equals("/v1/events") || path.equals("/v1/cloudevents")) && method.equals("POST")) {
      return new AnyPublish();
    }
    if (path.equals("/v1/test-pattern") && method.equals("POST")) {
      return READ; // evaluates a pattern against an event; changes nothing
    }
    return read ? READ : ADMIN;
  }
}
