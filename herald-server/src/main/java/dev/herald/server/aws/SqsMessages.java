package dev.herald.server.aws;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.json.Json;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How SQS messages are rendered: the body's MD5 and the message attributes with their MD5, which
 * the AWS SDKs check ({@code MD5OfBody}, {@code MD5OfMessageAttributes}: each attribute, sorted by
 * name, as length-prefixed name, data type, a transport byte and value). Herald's messages carry
 * the event's metadata as String attributes named {@code herald.*}. Also the checks of a batch's
 * entries. Stateless.
 */
final class SqsMessages {
  private SqsMessages() {}

  /** A message as ReceiveMessage answers it. */
  record Rendered(
      String messageId,
      String receiptHandle,
      String body,
      Map<String, String> attributes,
      Map<String, String> systemAttributes) {}

  /**
   * The JSON of a received message, with the attributes {@code wanted} selects and the system
   * attributes {@code system} selects.
   */
  static ObjectNode json(Rendered m, List<String> wanted, List<String> system) {
    ObjectNode node = Json.object();
    node.put("MessageId", m.messageId());
    node.put("ReceiptHandle", m.receiptHandle());
    node.put("Body", m.body());
    node.put("MD5OfBody", md5(m.body()));
    Map<String, String> selected = new TreeMap<>();
    m.attributes()
        .forEach(
            (name, value) -> {
              if (selects(wanted, name)) {
                selected.put(name, value);
              }
            });
    if (!selected.isEmpty()) {
      ObjectNode attributes = node.putObject("MessageAttributes");
      selected.forEach(
          (name, value) ->
              attributes.putObject(name).put("DataType", "String").put("StringValue", value));
      node.put("MD5OfMessageAttributes", md5OfAttributes(selected));
    }
    ObjectNode sys = Json.object();
    m.systemAttributes()
        .forEach(
            (name, value) -> {
              if (selects(system, name)) {
                sys.put(name, value);
              }
            });
    if (!sys.isEmpty()) {
      node.set("Attributes", sys);
    }
    return node;
  }

  /** Whether a name is among {@code wanted}: {@code All}, {@code .*}, {@code prefix.*} or equal. */
  static boolean selects(List<String> wanted, String name) {
    for (String w : wanted) {
      if (w.equals("All")
          || w.equals(".*")
          || w.equals(name)
          || (w.endsWith(".*") && name.startsWith(w.substring(0, w.length() - 1)))) {
        return true;
      }
    }
    return false;
  }

  static String md5(String text) {
    return HexFormat.of().formatHex(digest().digest(text.getBytes(UTF_8)));
  }

  /** The MD5 of String attributes the way SQS computes it. */
  static String md5OfAttributes(Map<String, String> stringAttributes) {
    MessageDigest md5 = digest();
    for (Map.Entry<String, String> e : new TreeMap<>(stringAttributes).entrySet()) {
      update(md5, e.getKey());
      update(md5, "String");
      md5.update((byte) 1);
      update(md5, e.getValue());
    }
    return HexFormat.of().formatHex(md5.digest());
  }

  /** The MD5 of attributes as a client sent them ({@code {"DataType", "StringValue"|...}}). */
  static String md5OfSent(ObjectNode attributes) {
    MessageDigest md5 = digest();
    TreeMap<String, ObjectNode> sorted = new TreeMap<>();
    attributes
        .properties()
        .forEach(
            e -> {
              if (e.getValue() instanceof ObjectNode o) {
                sorted.put(e.getKey(), o);
              }
            });
    for (Map.Entry<String, ObjectNode> e : sorted.entrySet()) {
      ObjectNode value = e.getValue();
      update(md5, e.getKey());
      update(md5, value.path("DataType").asText());
      if (value.hasNonNull("StringValue")) {
        md5.update((byte) 1);
        update(md5, value.path("StringValue").asText());
      } else if (value.hasNonNull("BinaryValue")) {
        md5.update((byte) 2);
        byte[] bytes = java.util.Base64.getDecoder().decode(value.path("BinaryValue").asText());
        md5.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        md5.update(bytes);
      }
    }
    return HexFormat.of().formatHex(md5.digest());
  }

  /** The entries of a batch: 1 to 10, with distinct ids. */
  static List<ObjectNode> batch(AwsCall call) {
    List<ObjectNode> entries = call.objects("Entries");
    if (entries.isEmpty()) {
      throw new AwsError(
          400,
          "EmptyBatchRequest",
          "There should be at least one entry in the request.",
          "AWS.SimpleQueueService.EmptyBatchRequest");
    }
    if (entries.size() > SqsApi.MAX_BATCH) {
      throw new AwsError(
          400,
          "TooManyEntriesInBatchRequest",
          "Maximum number of entries per request are " + SqsApi.MAX_BATCH + ".",
          "AWS.SimpleQueueService.TooManyEntriesInBatchRequest");
    }
    Set<String> ids = new HashSet<>();
    for (ObjectNode entry : entries) {
      if (!ids.add(entry.path("Id").asText())) {
        throw new AwsError(
            400,
            "BatchEntryIdsNotDistinct",
            "Id " + entry.path("Id").asText() + " repeated.",
            "AWS.SimpleQueueService.BatchEntryIdsNotDistinct");
      }
    }
    return entries;
  }

  private static void update(MessageDigest md5, String text) {
    byte[] bytes = text.getBytes(UTF_8);
    md5.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
    md5.update(bytes);
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("MD5 is missing from this JVM", e);
    }
  }
}
