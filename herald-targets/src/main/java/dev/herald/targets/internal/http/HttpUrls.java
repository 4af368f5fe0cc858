package dev.herald.targets.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.config.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;

/** The URL settings of HTTP targets (webhook, chat), checked. Stateless. */
public final class HttpUrls {
  private HttpUrls() {}

  /**
   * The absolute http or https URL, without user info, in the settings field {@code field}.
   *
   * @throws ConfigException.Invalid naming {@code field} if it is missing or not such a URL
   */
  public static URI parse(JsonNode node, String field) {
    if (node == null || !node.isTextual()) {
      throw invalid(field, field + " is required and must be a string");
    }
    try {
      URI uri = new URI(node.asText());
      boolean http = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
      if (!http || uri.getHost() == null || uri.getRawUserInfo() != null) {
        throw invalid(field, field + " must be an absolute http or https URL without user info");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw invalid(field, field + " is not a URL: " + e.getReason());
    }
  }

  private static ConfigException.Invalid invalid(String field, String message) {
    return new ConfigException.Invalid(field, message);
  }
}
