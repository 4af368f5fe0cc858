package dev.herald.core.auth;

import dev.herald.core.event.Names;
import java.util.Objects;

/**
 * What an API key may do: {@code admin} (everything), {@code read} (every read), {@code
 * publish:<bus>} or {@code publish:*} (publish to that bus or any), {@code queue:<target>} or
 * {@code queue:*} (receive from, acknowledge and extend the messages of that queue target or any).
 *
 * @param kind the kind of access
 * @param resource the bus or target name, {@code *} for every one; empty for admin and read
 */
public record Scope(Kind kind, String resource) {
  public static final Scope ADMIN = new Scope(Kind.ADMIN, "");
  public static final Scope READ = new Scope(Kind.READ, "");
  public static final String ANY = "*";

  public enum Kind {
    ADMIN,
    READ,
    PUBLISH,
    QUEUE
  }

  public Scope {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(resource, "resource");
    boolean named = kind == Kind.PUBLISH || kind == Kind.QUEUE;
    if (named != !resource.isEmpty()) {
      throw new IllegalArgumentException("scope " + kind + " with resource '" + resource + "'");
    }
  }

  public static Scope publish(String bus) {
    return new Scope(Kind.PUBLISH, bus);
  }

  public static Scope queue(String target) {
    return new Scope(Kind.QUEUE, target);
  }

  /**
   * Parses the wire form ({@code admin}, {@code read}, {@code publish:orders}, {@code queue:*}).
   *
   * @throws IllegalArgumentException saying what is wrong and what is expected
   */
  public static Scope parse(String text) {
    Objects.requireNonNull(text, "text");
    switch (text) {
      case "admin" -> {
        return ADMIN;
      }
      case "read" -> {
        return READ;
      }
      default -> {}
    }
    int colon = text.indexOf(':');
    String prefix = colon < 0 ? text : text.substring(0, colon);
    Kind kind =
        switch (prefix) {
          case "publish" -> Kind.PUBLISH;
          case "queue" -> Kind.QUEUE;
          default -> throw new IllegalArgumentException(unknown(text));
        };
    String resource = colon < 0 ? "" : text.substring(colon + 1);
    if (!resource.equals(ANY) && !Names.isValid(resource)) {
      throw new IllegalArgumentException(
          "scope '"
              + text
              + "': after '"
              + prefix
              + ":' comes '*' or a "
              + (kind == Kind.PUBLISH ? "bus" : "target")
              + " name ("
              + Names.describe()
              + ")");
    }
    return new Scope(kind, resource);
  }

  private static String unknown(String text) {
    return "unknown scope '"
        + text
        + "'; expected admin, read, publish:<bus>, publish:*, queue:<target> or queue:*";
  }

  /** Whether a key holding this scope may do what {@code needed} allows. */
  public boolean covers(Scope needed) {
    if (kind == Kind.ADMIN) {
      return true;
    }
    return kind == needed.kind() && (resource.equals(ANY) || resource.equals(needed.resource()));
  }

  /** The wire form. */
  @Override
  public String toString() {
    return switch (kind) {
      case ADMIN -> "admin";
      case READ -> "read";
      case PUBLISH -> "publish:" + resource;
      case QUEUE -> "queue:" + resource;
    };
  }
}
