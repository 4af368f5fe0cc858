package dev.herald.core.config;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Parses the bus body of {@code PUT /v1/buses/{bus}}: description and archive retention in days
 * ({@code 0}: the archive keeps every event forever).
 */
public final class BusSpecs {
  public static final int DEFAULT_RETENTION_DAYS = 7;
  public static final int MAX_RETENTION_DAYS = 3650;

  /** What a PUT may set on a bus. */
  public record BusSpec(String name, String description, int archiveRetentionDays) {}

  private BusSpecs() {}

  public static BusSpec parse(String name, JsonNode json) {
    TargetSpecs.requireName(name);
    Body body = Body.of(json, "");
    String description = body.text("description", 512).orElse("");
    int retention =
        (int) body.number("archiveRetentionDays", DEFAULT_RETENTION_DAYS, 0, MAX_RETENTION_DAYS);
    for (String echoed :
        new String[] {"name", "version", "ordinal", "createdAt", "updatedAt", "changedBy"}) {
      body.node(echoed); // a GET's body may be sent back as it is
    }
    body.finish();
    return new BusSpec(name, description, retention);
  }
}
