package dev.herald.server.ingest;

/** The answer for one entry of a publish request, in request order. */
public sealed interface EntryResult {

  /** Stored (or a duplicate of a stored event within the dedupe window). */
  record Stored(String eventId) implements EntryResult {}

  /** Not stored: an entry error of the API. */
  record Failed(String code, String message, String field) implements EntryResult {}
}
