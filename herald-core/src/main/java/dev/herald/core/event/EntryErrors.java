package dev.herald.core.event;

/** The entry error codes of the publish API. */
public final class EntryErrors {
  public static final String MISSING_FIELD = "MissingField";
  public static final String INVALID_FIELD = "InvalidField";
  public static final String UNKNOWN_BUS = "UnknownBus";
  public static final String ENTRY_TOO_LARGE = "EntryTooLarge";
  public static final String ENGINE_UNAVAILABLE = "EngineUnavailable";

  private EntryErrors() {}
}
