package dev.herald.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * One page of a target's dead letters, as answered by {@code GET /v1/targets/{t}/dlq}. Each entry
 * is the API's JSON object ({@code id}, {@code deliveryKey}, {@code eventId}, {@code event}, {@code
 * rule}, {@code attempts}, {@code error}, {@code firstAttemptAt}, {@code lastAttemptAt}); {@code
 * next} is the cursor of the following page, empty on the last page.
 */
public record DeadLetterPage(List<JsonNode> entries, Optional<String> next) {
  public DeadLetterPage {
    entries = List.copyOf(entries);
  }
}
