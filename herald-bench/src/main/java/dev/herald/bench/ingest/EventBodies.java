package dev.herald.bench.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * Builds realistic publish entries, an order event of a shop, each padded with a free-text {@code
 * note} so that the entry serializes to exactly the requested number of bytes (or to its natural
 * minimum, about 140 bytes, when less is asked). The padding is made of words, so it compresses
 * about as well as real text does, not better.
 *
 * <p>Request bodies are built ahead of the run and reused round robin, so that the load generator
 * spends its CPU on sending, not on JSON.
 *
 * <p>Not thread-safe: one instance builds a pool on one thread; the resulting byte arrays are
 * shared read-only.
 */
public final class EventBodies {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] WORDS = {
    "please", "leave", "the", "parcel", "at", "door", "with", "neighbour", "gift", "wrap",
    "ring", "twice", "before", "noon", "fragile", "handle", "care", "back", "entrance", "call",
    "on", "arrival", "no", "plastic", "bag", "express", "delivery", "office", "reception", "floor"
  };
  private static final String[] SKUS = {"SKU-1042", "SKU-2210", "SKU-3307", "SKU-4721", "SKU-5150"};
  private static final String[] CITIES = {"Berlin", "Lyon", "Porto", "Gdansk", "Utrecht", "Turin"};
  private static final String[] COUNTRIES = {"DE", "FR", "PT", "PL", "NL", "IT"};
  private static final String NOTE_FIELD_OVERHEAD = ",\"note\":\"\"";

  private final RandomGenerator random;
  private long sequence;

  public EventBodies(long seed) {
    this.random = new Random(seed);
  }

  /** One entry of {@code POST /v1/events}, serialized in about {@code targetBytes} bytes. */
  public ObjectNode entry(int targetBytes) {
    long n = sequence++;
    ObjectNode entry = JSON.createObjectNode();
    entry.put("source", "shop.orders");
    entry.put("detailType", "OrderPlaced");
    ObjectNode detail = entry.putObject("detail");
    detail.put("orderId", "o-" + (1_000_000 + n));
    detail.put("customerId", "c-" + random.nextInt(100_000));
    detail.put("status", "PLACED");
    detail.put("currency", "EUR");
    int items = 1 + random.nextInt(3);
    double total = 0;
    ArrayNode lines = detail.putArray("items");
    for (int i = 0; i < items; i++) {
      double price = (100 + random.nextInt(9_900)) / 100.0;
      int qty = 1 + random.nextInt(4);
      total += price * qty;
      lines
          .addObject()
          .put("sku", SKUS[random.nextInt(SKUS.length)])
          .put("qty", qty)
          .put("price", price);
    }
    detail.put("total", Math.round(total * 100) / 100.0);
    int city = random.nextInt(CITIES.length);
    detail.putObject("shipping").put("country", COUNTRIES[city]).put("city", CITIES[city]);
    // Drop optional parts while the entry and an empty note exceed the size, then pad the note.
    while (size(entry) + NOTE_FIELD_OVERHEAD.length() > targetBytes && lines.size() > 1) {
      lines.remove(lines.size() - 1);
    }
    if (size(entry) + NOTE_FIELD_OVERHEAD.length() > targetBytes) {
      detail.remove("shipping");
    }
    if (size(entry) + NOTE_FIELD_OVERHEAD.length() > targetBytes) {
      detail.remove("items");
    }
    int room = targetBytes - size(entry) - NOTE_FIELD_OVERHEAD.length();
    if (room >= 0) {
      detail.put("note", words(room));
    }
    return entry;
  }

  /** A request body {@code {"entries":[...]}} of {@code batch} entries of {@code eventBytes}. */
  public byte[] request(int batch, int eventBytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(batch * (eventBytes + 1) + 16);
    out.writeBytes("{\"entries\":[".getBytes(StandardCharsets.US_ASCII));
    for (int i = 0; i < batch; i++) {
      if (i > 0) {
        out.write(',');
      }
      out.writeBytes(bytes(entry(eventBytes)));
    }
    out.writeBytes("]}".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /** {@code count} distinct request bodies, to be reused round robin. */
  public List<byte[]> requests(int count, int batch, int eventBytes) {
    List<byte[]> pool = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      pool.add(request(batch, eventBytes));
    }
    return List.copyOf(pool);
  }

  public static byte[] bytes(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int size(ObjectNode node) {
    return bytes(node).length;
  }

  /** Exactly {@code length} ASCII characters of lower-case words separated by spaces. */
  private String words(int length) {
    if (length == 0) {
      return "";
    }
    StringBuilder sb = new StringBuilder(length + 12);
    while (sb.length() < length) {
      if (!sb.isEmpty()) {
        sb.append(' ');
      }
      sb.append(WORDS[random.nextInt(WORDS.length)]);
    }
    sb.setLength(length);
    if (sb.charAt(length - 1) == ' ') {
      sb.setCharAt(length - 1, '.');
    }
    return sb.toString();
  }
}
