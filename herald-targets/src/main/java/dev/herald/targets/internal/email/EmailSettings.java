package dev.herald.targets.internal.email;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.config.ConfigException;
import dev.herald.targets.internal.template.Templates;
import dev.herald.targets.internal.template.Templates.Escaping;
import dev.herald.targets.internal.template.Templates.RenderException;
import dev.herald.targets.internal.template.Templates.Template;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The settings of an {@code email} target, checked. Every text field is a template; {@code subject}
 * and {@code text} render as they are, {@code html} with its values HTML-escaped. {@code from},
 * {@code to} and {@code cc} (a string or a list of strings) each render to one address, checked
 * when the target is built if it has no tags, else when rendered. Errors name the field ({@code
 * email.to[1]}), never the password.
 */
record EmailSettings(
    Smtp smtp,
    AddressTemplate from,
    List<AddressTemplate> to,
    List<AddressTemplate> cc,
    Template subject,
    Optional<Template> text,
    Optional<Template> html) {

  /** How the connection to the SMTP server is secured. */
  enum Tls {
    /** Plain SMTP (only for a relay on a trusted network). */
    NONE,
    /** Plain SMTP upgraded with STARTTLS, which the server must offer. */
    STARTTLS,
    /** SMTP inside TLS from the first byte (SMTPS, implicit TLS). */
    TLS
  }

  /** The SMTP server; {@code username} and {@code password} are both set or both empty. */
  record Smtp(
      String host, int port, Tls tls, Optional<String> username, Optional<String> password) {}

  /** An address field: a template that must render to exactly one address. */
  record AddressTemplate(Template template) {
    /**
     * @throws RenderException if the template cannot be rendered
     * @throws AddressException if the rendered text is not one valid address
     */
    InternetAddress render(Object scope) throws RenderException, AddressException {
      return address(template.render(scope));
    }
  }

  static EmailSettings parse(ObjectNode s) {
    Optional<Template> text = template(s, "text", Escaping.NONE);
    Optional<Template> html = template(s, "html", Escaping.HTML);
    if (text.isEmpty() && html.isEmpty()) {
      throw invalid("email.text", "email needs a text or an html body (or both)");
    }
    List<AddressTemplate> to = addresses(s.get("to"), "email.to");
    if (to.isEmpty()) {
      throw invalid("email.to", "email.to must name at least one address");
    }
    return new EmailSettings(
        smtp(s.get("smtp")),
        addressTemplate(s.get("from"), "email.from"),
        to,
        addresses(s.get("cc"), "email.cc"),
        template(s, "subject", Escaping.NONE)
            .orElseThrow(() -> invalid("email.subject", "email.subject is required")),
        text,
        html);
  }

  private static Smtp smtp(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw invalid("email.smtp", "email.smtp must be an object {host, port, tls, ...}");
    }
    ObjectNode smtp = (ObjectNode) node;
    String host =
        string(smtp.get("host"), "email.smtp.host")
            .filter(h -> !h.isBlank())
            .orElseThrow(() -> invalid("email.smtp.host", "email.smtp.host is required"));
    String tlsName = string(smtp.get("tls"), "email.smtp.tls").orElse("starttls");
    Tls tls =
        switch (tlsName) {
          case "none", "starttls", "tls" -> Tls.valueOf(tlsName.toUpperCase(Locale.ROOT));
          default ->
              throw invalid(
                  "email.smtp.tls",
                  "email.smtp.tls must be 'none', 'starttls' or 'tls', got '" + tlsName + "'");
        };
    Optional<String> username = string(smtp.get("username"), "email.smtp.username");
    Optional<String> password = string(smtp.get("password"), "email.smtp.password");
    if (username.isPresent() != password.isPresent()) {
      throw invalid(
          username.isPresent() ? "email.smtp.password" : "email.smtp.username",
          "email.smtp.username and email.smtp.password go together");
    }
    return new Smtp(host, port(smtp.get("port"), tls), tls, username, password);
  }

  private static int port(JsonNode node, Tls tls) {
    if (node == null || node.isNull()) {
      return switch (tls) {
        case NONE -> 25;
        case STARTTLS -> 587;
        case TLS -> 465;
      };
    }
    if (!node.canConvertToInt()
        || !node.isIntegralNumber()
        || node.asInt() < 1
        || node.asInt() > 65535) {
      throw invalid("email.smtp.port", "email.smtp.port must be a port number, 1 to 65535");
    }
    return node.asInt();
  }

  private static List<AddressTemplate> addresses(JsonNode node, String field) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      return List.of(addressTemplate(node, field));
    }
    List<AddressTemplate> list = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      list.add(addressTemplate(node.get(i), field + "[" + i + "]"));
    }
    return List.copyOf(list);
  }

  private static AddressTemplate addressTemplate(JsonNode node, String field) {
    String source = string(node, field).orElseThrow(() -> invalid(field, field + " is required"));
    Template template = Templates.compile(source, field, Escaping.NONE);
    if (template.isConstant()) {
      try {
        address(source);
      } catch (AddressException e) {
        throw invalid(field, field + " is not an email address: " + e.getMessage());
      }
    }
    return new AddressTemplate(template);
  }

  /** One address, strictly: {@code ada@example.com} or {@code Ada <ada@example.com>}. */
  static InternetAddress address(String text) throws AddressException {
    String trimmed = text.strip();
    InternetAddress address = new InternetAddress(trimmed, true);
    address.validate();
    if (address.isGroup() || address.getAddress().indexOf('@') < 1) {
      throw new AddressException("not one address with a domain", trimmed);
    }
    return address;
  }

  private static Optional<Template> template(ObjectNode s, String key, Escaping escaping) {
    String field = "email." + key;
    return string(s.get(key), field).map(source -> Templates.compile(source, field, escaping));
  }

  private static Optional<String> string(JsonNode node, String field) {
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw invalid(field, field + " must be a string");
    }
    return Optional.of(node.asText());
  }

  private static ConfigException.Invalid invalid(String field, String message) {
    return new ConfigException.Invalid(field, message);
  }
}
