package dev.herald.bench.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Queue benchmark against a running Herald: a {@code queue} target ({@code bench-queue}) and a rule
 * sending every event of source {@code bench.queue} to it. For each API of APIS in turn ({@code
 * native}: {@code POST /v1/queues/{target}/receive} and {@code /ack}; {@code sqs}: the AWS SDK's
 * {@link SqsClient}, ReceiveMessage and DeleteMessageBatch on the queue's URL), EVENTS events are
 * published, then CONSUMERS concurrent consumers receive (up to MAX per call, long poll of 1 s) and
 * delete them all, against the same Herald.
 *
 * <pre>
 * java -cp herald-bench.jar dev.herald.bench.queue.QueueBench URL [EVENTS] [CONSUMERS] [MAX] [APIS]
 * </pre>
 *
 * <p>Reports per API the enqueue rate (publish to all messages visible), the receive + delete rate,
 * the latency of receive and of delete calls (p50/p99), and duplicates (a message received twice
 * within its 120 s visibility would be one: there must be none); then one line per API side by
 * side. Every phase is bounded (2 and 5 minutes). Defaults: 10,000 events, 8 consumers, 10 per
 * receive (SQS's most), APIS {@code native,sqs}.
 */
public final class QueueBench {
  static final String SOURCE = "bench.queue";
  static final String QUEUE = "bench-queue";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private QueueBench() {}

  /** What one API's run measured. */
  record Result(
      String api,
      double enqueuePerSecond,
      double consumePerSecond,
      long duplicates,
      long receiveP50,
      long receiveP99,
      long deleteP50,
      long deleteP99) {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int events = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int consumers = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    int max = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    List<String> apis = List.of((args.length > 4 ? args[4] : "native,sqs").split(","));
    declare(url);
    List<Result> results = new ArrayList<>();
    for (String api : apis) {
      Consumer consumer =
          switch (api) {
            case "native" -> new NativeConsumer(url, max);
            case "sqs" -> new SqsConsumer(url, max);
            default -> throw new IllegalArgumentException("unknown API " + api + ": native or sqs");
          };
      try (consumer) {
        results.add(run(url, api, events, consumers, consumer));
      }
    }
    System.out.println(
        "api     enqueue/s  receive+delete/s  duplicates  receive p50/p99 ms  delete p50/p99 ms");
    for (Result r : results) {
      System.out.printf(
          Locale.ROOT,
          "%-7s %9.0f  %16.0f  %10d  %8d / %-8d  %7d / %d%n",
          r.api(),
          r.enqueuePerSecond(),
          r.consumePerSecond(),
          r.duplicates(),
          r.receiveP50(),
          r.receiveP99(),
          r.deleteP50(),
          r.deleteP99());
    }
  }

  private static Result run(String url, String api, int events, int consumers, Consumer consumer)
      throws Exception {
    long visibleBefore = depth(url).get("visible").asLong();
    long start = System.nanoTime();
    publish(url, events);
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (depth(url).get("visible").asLong() < visibleBefore + events
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    double enqueueSeconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "[%s] enqueued %d events (publish to visible) in %.1f s: %.0f messages/s%n",
        api,
        events,
        enqueueSeconds,
        events / enqueueSeconds);
    return consume(api, visibleBefore + events, consumers, consumer, events / enqueueSeconds);
  }

  /** One API's receive and delete calls; thread-safe. */
  interface Consumer extends AutoCloseable {
    /** Receives up to the batch size; the receipt handles of what it got. */
    List<Received> receive();

    /** Deletes the messages of these handles; how many it deleted. */
    long delete(List<String> handles);

    @Override
    default void close() {}
  }

  record Received(String messageId, String receiptHandle) {}

  /** The native queue API over HTTP. */
  static final class NativeConsumer implements Consumer {
    private final String url;
    private final String receive;

    NativeConsumer(String url, int max) {
      this.url = url;
      this.receive = "{\"max\":" + max + ",\"waitSeconds\":1}";
    }

    @Override
    public List<Received> receive() {
      List<Received> out = new ArrayList<>();
      for (JsonNode m :
          send("POST", url + "/v1/queues/" + QUEUE + "/receive", receive).get("messages")) {
        out.add(new Received(m.get("messageId").asText(), m.get("receiptHandle").asText()));
      }
      return out;
    }

    @Override
    public long delete(List<String> handles) {
      List<String> quoted = new ArrayList<>();
      for (String h : handles) {
        quoted.add(JSON.valueToTree(h).toString());
      }
      return send(
              "POST",
              url + "/v1/queues/" + QUEUE + "/ack",
              "{\"receiptHandles\":[" + String.join(",", quoted) + "]}")
          .get("acked")
          .asLong();
    }
  }

  /** The SQS protocol through the AWS SDK's client (auth off on loopback: any credentials). */
  static final class SqsConsumer implements Consumer {
    private final SqsClient sqs;
    private final String queueUrl;
    private final int max;

    SqsConsumer(String url, int max) {
      if (max > 10) {
        throw new IllegalArgumentException("SQS receives at most 10 messages per call, not " + max);
      }
      this.sqs =
          SqsClient.builder()
              .endpointOverride(URI.create(url))
              .region(Region.US_EAST_1)
              .credentialsProvider(
                  StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
              .build();
      this.queueUrl = sqs.getQueueUrl(b -> b.queueName(QUEUE)).queueUrl();
      this.max = max;
    }

    @Override
    public List<Received> receive() {
      List<Received> out = new ArrayList<>();
      for (Message m :
          sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(max).waitTimeSeconds(1))
              .messages()) {
        out.add(new Received(m.messageId(), m.receiptHandle()));
      }
      return out;
    }

    @Override
    public long delete(List<String> handles) {
      List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
      for (int i = 0; i < handles.size(); i++) {
        entries.add(
            DeleteMessageBatchRequestEntry.builder()
                .id(Integer.toString(i))
                .receiptHandle(handles.get(i))
                .build());
      }
      return sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries)).successful().size();
    }

    @Override
    public void close() {
      sqs.close();
    }
  }

  private static void declare(String url) throws Exception {
    send(
        "PUT",
        url + "/v1/targets/" + QUEUE,
        "{\"type\":\"queue\",\"queue\":{\"visibilitySeconds\":120},\"retry\":{\"maxAttempts\":10},"
            + "\"concurrency\":{\"max\":64}}");
    send(
        "PUT",
        url + "/v1/buses/default/rules/" + QUEUE,
        "{\"pattern\":{\"source\":[\""
            + SOURCE
            + "\"]},\"targets\":[{\"target\":\""
            + QUEUE
            + "\"}]}");
  }

  private static void publish(String url, int events) throws Exception {
    StringBuilder batch = new StringBuilder("{\"entries\":[");
    for (int i = 0; i < 100; i++) {
      batch
          .append(i == 0 ? "" : ",")
          .append("{\"source\":\"" + SOURCE + "\",\"detailType\":\"Job\",\"detail\":{\"n\":")
          .append(i)
          .append(",\"pad\":\"" + "x".repeat(200) + "\"}}");
    }
    String body = batch.append("]}").toString();
    AtomicLong remaining = new AtomicLong((events + 99) / 100);
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (remaining.getAndDecrement() > 0) {
                      send("POST", url + "/v1/events", body);
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  private static Result consume(
      String api, long expected, int consumers, Consumer consumer, double enqueueRate)
      throws Exception {
    Histogram receiveMs = new ConcurrentHistogram(60_000, 3);
    Histogram deleteMs = new ConcurrentHistogram(60_000, 3);
    Set<String> seen = ConcurrentHashMap.newKeySet();
    AtomicLong received = new AtomicLong();
    AtomicLong deleted = new AtomicLong();
    long start = System.nanoTime();
    long deadline = start + Duration.ofMinutes(5).toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < consumers; c++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (deleted.get() < expected && System.nanoTime() < deadline) {
                      long t0 = System.nanoTime();
                      List<Received> messages = consumer.receive();
                      receiveMs.recordValue(millisSince(t0));
                      List<String> handles = new ArrayList<>();
                      for (Received m : messages) {
                        received.incrementAndGet();
                        seen.add(m.messageId());
                        handles.add(m.receiptHandle());
                      }
                      if (!handles.isEmpty()) {
                        long t1 = System.nanoTime();
                        deleted.addAndGet(consumer.delete(handles));
                        deleteMs.recordValue(millisSince(t1));
                      }
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Result result =
        new Result(
            api,
            enqueueRate,
            deleted.get() / seconds,
            received.get() - seen.size(),
            receiveMs.getValueAtPercentile(50),
            receiveMs.getValueAtPercentile(99),
            deleteMs.getValueAtPercentile(50),
            deleteMs.getValueAtPercentile(99));
    System.out.printf(
        Locale.ROOT,
        "[%s] %d consumers: received %d, deleted %d of %d in %.1f s: %.0f messages/s;"
            + " duplicates %d; receive p50 %d ms p99 %d ms; delete p50 %d ms p99 %d ms%n",
        api,
        threads.size(),
        received.get(),
        deleted.get(),
        expected,
        seconds,
        result.consumePerSecond(),
        result.duplicates(),
        result.receiveP50(),
        result.receiveP99(),
        result.deleteP50(),
        result.deleteP99());
    return result;
  }

  private static long millisSince(long start) {
    return Math.min(60_000, (System.nanoTime() - start) / 1_000_000);
  }

  private static JsonNode depth(String url) throws Exception {
    return send("GET", url + "/v1/queues/" + QUEUE, null);
  }

  private static JsonNode send(String method, String url, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    if (body == null) {
      request.GET();
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }
    try {
      HttpResponse<byte[]> answer =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (answer.statusCode() != 200) {
        throw new IllegalStateException(
            method
                + " "
                + url
                + " answered "
                + answer.statusCode()
                + ": "
                + new String(answer.body(), StandardCharsets.UTF_8));
      }
      return JSON.readTree(answer.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
