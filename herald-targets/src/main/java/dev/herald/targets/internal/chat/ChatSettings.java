package dev.herald.targets.internal.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.config.ConfigException;
import dev.herald.targets.TargetContext;
import dev.herald.targets.internal.http.AddressPolicy;
import dev.herald.targets.internal.http.Http1;
import dev.herald.targets.internal.http.HttpUrls;
import dev.herald.targets.internal.template.Templates;
import dev.herald.targets.internal.template.Templates.Escaping;
import java.net.URI;
import java.util.Optional;

/**
 * The settings of a {@code chat} target (a Slack-compatible incoming webhook), checked: {@code url}
 * is https, or http to a host that may be reached in the clear (see {@link
 * AddressPolicy#allowsPlainHttp}); {@code text} is a plain-text template; {@code blocks} a JSON
 * value whose strings are templates; at least one of the two is set. Errors name the field.
 */
record ChatSettings(URI url, Optional<Templates.Template> text, Optional<JsonTemplate> blocks) {

  static ChatSettings parse(ObjectNode s, TargetContext context) {
    URI url = HttpUrls.parse(s.get("url"), "chat.url");
    AddressPolicy policy = new AddressPolicy(context.outbound());
    policy.requireAllowedLiteral(url, "chat.url");
    if (!"https".equals(url.getScheme()) && !policy.allowsPlainHttp(Http1.bareHost(url))) {
      throw new ConfigException.Invalid(
          "chat.url",
          "chat.url must be https; http is allowed only to an allow-listed host, or to loopback"
              + " while Herald is bound to loopback");
    }
    JsonNode text = s.get("text");
    if (text != null && !text.isNull() && !text.isTextual()) {
      throw new ConfigException.Invalid("chat.text", "chat.text must be a string (a template)");
    }
    JsonNode blocks = s.get("blocks");
    boolean hasText = text != null && !text.isNull();
    boolean hasBlocks = blocks != null && !blocks.isNull();
    if (!hasText && !hasBlocks) {
      throw new ConfigException.Invalid("chat.text", "chat needs a text or blocks (or both)");
    }
    return new ChatSettings(
        url,
        hasText
            ? Optional.of(Templates.compile(text.asText(), "chat.text", Escaping.NONE))
            : Optional.empty(),
        hasBlocks ? Optional.of(JsonTemplate.compile(blocks, "chat.blocks")) : Optional.empty());
  }
}
