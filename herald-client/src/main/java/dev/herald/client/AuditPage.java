package dev.herald.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * One page of the audit log, as answered by {@code GET /v1/audit}. Each entry is the API's JSON
 * object ({@code seq}, {@code deliveryKey}, {@code eventId}, {@code bus}, {@code source}, {@code
 * detailType}, {@code time}, {@code recordedAt}, {@code event}, {@code eventHash}, {@code
 * prevHash}, {@code hash}); {@code next} is the cursor of the following page, empty on the last.
 */
public record AuditPage(List<JsonNode> entries, Optional<String> next) {
  public AuditPage {
    entries = List.copyOf(entries);
  }
}
