package dev.herald.server.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.event.EntryErrors;
import dev.herald.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * CloudEvents 1.0 events as entries of the native publish API ({@code POST /v1/events}), so that
 * both go through one validation and one ingest path ({@link IngestService}).
 *
 * <p>Mapping: {@code source} → source, {@code type} → detailType, {@code data} → detail, {@code
 * subject} → orderingKey, {@code id} → the client id (deduplicated for 5 minutes per bus, as the
 * native {@code id}), {@code time} → time. The bus comes from the caller (the request's {@code
 * ?bus=}). {@code data} must be a JSON object, as {@code detail}; absent data becomes {@code {}};
 * {@code data_base64} and non-JSON {@code datacontenttype} are refused. Other attributes ({@code
 * dataschema}, extensions) are not stored.
 *
 * <p>This class checks what only CloudEvents has ({@code specversion}, the four required
 * attributes, the kind of {@code data}); everything else (lengths, the time's format, the bus) is
 * the native validator's, whose errors {@link #attribute} names in CloudEvents terms. Stateless.
 */
public final class CloudEventMapping {
  public static final String SPEC_VERSION = "1.0";
  public static final String STRUCTURED_TYPE = "application/cloudevents+json";
  public static final String BATCH_TYPE = "application/cloudevents-batch+json";

  /** The prefix of the attribute headers of binary mode. */
  public static final String HEADER_PREFIX = "ce-";

  private static final List<String> REQUIRED = List.of("specversion", "id", "source", "type");
  private static final List<String> OPTIONAL_TEXT =
      List.of("subject", "time", "datacontenttype", "dataschema");

  /**
   * How an event arrived: decides how errors name its attributes ({@code ce-type} or {@code type}).
   */
  public enum Mode {
    BINARY,
    STRUCTURED
  }

  /** One CloudEvent as a native entry, or the reason it cannot be one. */
  public sealed interface Mapped {
    record Entry(ObjectNode entry) implements Mapped {}

    record Refused(EntryResult.Failed failure) implements Mapped {}
  }

  private CloudEventMapping() {}

  /** An event of structured or batched mode (the JSON event format). */
  public static Mapped structured(JsonNode event, String bus) {
    if (!event.isObject()) {
      return refused(
          EntryErrors.INVALID_FIELD, "a CloudEvent must be a JSON object, not " + kind(event), "");
    }
    Optional<EntryResult.Failed> problem = checkAttributes(event, Mode.STRUCTURED);
    if (problem.isPresent()) {
      return new Mapped.Refused(problem.get());
    }
    JsonNode type = event.get("datacontenttype");
    if (type != null && type.isTextual() && !isJson(type.asText())) {
      return refused(
          EntryErrors.INVALID_FIELD,
          "datacontenttype must be application/json or a +json type (Herald stores data as the"
              + " event's JSON detail), got '"
              + type.asText()
              + "'",
          "datacontenttype");
    }
    if (present(event.get("data_base64"))) {
      return refused(
          EntryErrors.INVALID_FIELD,
          "data_base64 (binary data) is not accepted; send data as a JSON object",
          "data_base64");
    }
    return entry(event, Optional.ofNullable(event.get("data")), bus, Mode.STRUCTURED);
  }

  /**
   * An event of binary mode.
   *
   * @param attributes the {@code ce-*} headers: attribute name (lower case, without the prefix) to
   *     the header's value as sent (still percent-encoded)
   * @param data the parsed body, empty when the body is empty
   */
  public static Mapped binary(Map<String, String> attributes, Optional<JsonNode> data, String bus) {
    ObjectNode event = Json.object();
    for (Map.Entry<String, String> attribute : attributes.entrySet()) {
      Optional<String> value = percentDecode(attribute.getValue());
      if (value.isEmpty()) {
        return refused(
            EntryErrors.INVALID_FIELD,
            HEADER_PREFIX
                + attribute.getKey()
                + " is not valid percent-encoded UTF-8 (CloudEvents HTTP binding, 3.1.3.2)",
            HEADER_PREFIX + attribute.getKey());
      }
      event.put(attribute.getKey(), value.get());
    }
    Optional<EntryResult.Failed> problem = checkAttributes(event, Mode.BINARY);
    if (problem.isPresent()) {
      return new Mapped.Refused(problem.get());
    }
    return entry(event, data, bus, Mode.BINARY);
  }

  /**
   * The name under which a CloudEvents client knows a native entry's field, for errors of the
   * native validator and of ingest ({@code detailType} → {@code type}, or {@code ce-type} in binary
   * mode); {@code ""} (the entry as a whole) stays {@code ""}.
   */
  public static String attribute(String nativeField, Mode mode) {
    String name =
        switch (nativeField) {
          case "" -> "";
          case "bus" -> "bus"; // the query parameter, in every mode
          case "detailType" -> "type";
          case "detail" -> "data";
          case "orderingKey" -> "subject";
          default -> nativeField;
        };
    boolean header = mode == Mode.BINARY && !name.isEmpty() && !name.equals("bus");
    return header && !name.equals("data") ? HEADER_PREFIX + name : name;
  }

  /** A native validator's or ingest's refusal, its field and message in CloudEvents terms. */
  public static EntryResult.Failed translate(EntryResult.Failed failed, Mode mode) {
    String field = attribute(failed.field(), mode);
    String message = failed.message();
    if (!failed.field().isEmpty() && message.startsWith(failed.field())) {
      message = field + message.substring(failed.field().length());
    }
    return new EntryResult.Failed(failed.code(), message, field);
  }

  /** True for {@code application/json} and the {@code +json} types, parameters ignored. */
  public static boolean isJson(String contentType) {
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return type.equals("application/json") || type.endsWith("+json");
  }

  private static Optional<EntryResult.Failed> checkAttributes(JsonNode event, Mode mode) {
    for (String name : REQUIRED) {
      String field = mode == Mode.BINARY ? HEADER_PREFIX + name : name;
      JsonNode value = event.get(name);
      if (!present(value)) {
        return Optional.of(
            new EntryResult.Failed(
                EntryErrors.MISSING_FIELD, field + " is required (CloudEvents 1.0)", field));
      }
      if (!value.isTextual() || value.asText().isEmpty()) {
        return Optional.of(
            new EntryResult.Failed(
                EntryErrors.INVALID_FIELD,
                field + " must be a non-empty string, got " + kind(value),
                field));
      }
    }
    String version = event.get("specversion").asText();
    if (!version.equals(SPEC_VERSION)) {
      String field = mode == Mode.BINARY ? HEADER_PREFIX + "specversion" : "specversion";
      return Optional.of(
          new EntryResult.Failed(
              EntryErrors.INVALID_FIELD,
              field + " '" + version + "' is not supported; Herald accepts " + SPEC_VERSION,
              field));
    }
    for (String name : OPTIONAL_TEXT) {
      JsonNode value = event.get(name);
      if (present(value) && !value.isTextual()) {
        return Optional.of(
            new EntryResult.Failed(
                EntryErrors.INVALID_FIELD, name + " must be a string, got " + kind(value), name));
      }
    }
    return Optional.empty();
  }

  private static Mapped entry(JsonNode event, Optional<JsonNode> data, String bus, Mode mode) {
    ObjectNode entry = Json.object();
    entry.put("bus", bus);
    entry.put("source", event.get("source").asText());
    entry.put("detailType", event.get("type").asText());
    entry.put("id", event.get("id").asText());
    if (present(event.get("time"))) {
      entry.put("time", event.get("time").asText());
    }
    if (present(event.get("subject"))) {
      entry.put("orderingKey", event.get("subject").asText());
    }
    JsonNode detail = data.filter(CloudEventMapping::present).orElse(null);
    if (detail == null) {
      entry.set("detail", Json.object()); // an event without data: CloudEvents allows it
    } else if (detail.isObject()) {
      entry.set("detail", detail);
    } else {
      String where = mode == Mode.BINARY ? "the body (the event's data)" : "data";
      return refused(
          EntryErrors.INVALID_FIELD,
          where + " must be a JSON object (it becomes the event's detail), not " + kind(detail),
          "data");
    }
    return new Mapped.Entry(entry);
  }

  /**
   * Decodes {@code %XX} sequences as UTF-8 (the binding's encoding of header values); empty when a
   * sequence is malformed or the bytes are not UTF-8.
   */
  static Optional<String> percentDecode(String value) {
    if (value.indexOf('%') < 0) {
      return Optional.of(value);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '%') {
        byte[] plain = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(plain, 0, plain.length);
        continue;
      }
      if (i + 2 >= value.length()) {
        return Optional.empty();
      }
      int high = Character.digit(value.charAt(i + 1), 16);
      int low = Character.digit(value.charAt(i + 2), 16);
      if (high < 0 || low < 0) {
        return Optional.empty();
      }
      bytes.write(high * 16 + low);
      i += 2;
    }
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray()))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  private static boolean present(JsonNode node) {
    return node != null && !node.isNull() && !node.isMissingNode();
  }

  private static String kind(JsonNode node) {
    return node.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  private static Mapped refused(String code, String message, String field) {
    return new Mapped.Refused(new EntryResult.Failed(code, message, field));
  }
}
