package dev.herald.core.config;

import dev.herald.api.PermanentException;
import java.util.List;

/**
 * A configuration change that cannot be made as asked. Subclasses map to the API's statuses:
 * invalid (400), not found (404), conflict (409), precondition failed (412).
 */
public abstract sealed class ConfigException extends PermanentException {
  private static final long serialVersionUID = 1L;

  private final String code;

  ConfigException(String code, String message) {
    super(message);
    this.code = code;
  }

  /** The API error code. */
  public String code() {
    return code;
  }

  /** The body is invalid; {@code field} names the part at fault. */
  public static final class Invalid extends ConfigException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public Invalid(String field, String message) {
      super("InvalidField", message);
      this.field = field;
    }

    public Invalid(String code, String field, String message) {
      super(code, message);
      this.field = field;
    }

    public String field() {
      return field;
    }
  }

  /** The object (or one it needs) does not exist. */
  public static final class NotFound extends ConfigException {
    private static final long serialVersionUID = 1L;

    public NotFound(String code, String message) {
      super(code, message);
    }
  }

  /** The change conflicts with a reference: {@code names} are the objects in the way. */
  public static final class Conflict extends ConfigException {
    private static final long serialVersionUID = 1L;
    private final List<String> names;

    public Conflict(String code, String message, List<String> names) {
      super(code, message);
      this.names = List.copyOf(names);
    }

    public List<String> names() {
      return names;
    }
  }

  /** {@code If-Match} named another version than the stored one. */
  public static final class VersionMismatch extends ConfigException {
    private static final long serialVersionUID = 1L;

    public VersionMismatch(String what, long expected, long actual) {
      super(
          "VersionMismatch",
          what
              + " is at version "
              + (actual == 0 ? "none (it does not exist)" : String.valueOf(actual))
              + ", not "
              + expected);
    }
  }
}
