package dev.herald.client;

import java.util.List;

/** The answer to a publish: one result per entry, in order. */
public record PublishResult(int failedEntryCount, List<Entry> entries) {

  /** Either {@code eventId} or {@code errorCode} (with message and field) is set. */
  public record Entry(String eventId, String errorCode, String errorMessage, String field) {
    public boolean stored() {
      return eventId != null;
    }
  }
}
