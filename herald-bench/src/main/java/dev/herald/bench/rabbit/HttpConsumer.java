package dev.herald.bench.rabbit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One channel's consumer of the RabbitMQ baseline: POSTs each message to its HTTP endpoint and
 * waits for the answer (blocking, on the channel's dispatch thread), then
 *
 * <ul>
 *   <li>2xx: acks it;
 *   <li>otherwise (error status, I/O error, timeout): if this was attempt {@value
 *       Topology#MAX_ATTEMPTS} (from {@code x-death}), publishes it persistently to the consumer's
 *       dead-letter queue, waits for the broker's confirm and acks it; else rejects it without
 *       requeue, so the broker dead-letters it to the retry queue, whose TTL sends it back.
 * </ul>
 *
 * The channel must be in confirm mode. Thread-safety: RabbitMQ's client calls {@link
 * #handleDelivery} for one channel on one thread at a time; the counters are shared and atomic.
 */
public final class HttpConsumer extends DefaultConsumer {
  /** Header carrying the publish time (epoch millis), forwarded to the HTTP endpoint. */
  public static final String PUBLISHED_AT = "bench-published-at";

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Topology topology;
  private final String consumer;
  private final HttpClient http;
  private final URI endpoint;
  private final Counts counts;

  /** What a set of consumers did so far. */
  public record Counts(AtomicLong delivered, AtomicLong retried, AtomicLong deadLettered) {
    public Counts() {
      this(new AtomicLong(), new AtomicLong(), new AtomicLong());
    }

    @Override
    public String toString() {
      return "delivered "
          + delivered.get()
          + ", sent to retry "
          + retried.get()
          + ", dead-lettered "
          + deadLettered.get();
    }
  }

  public HttpConsumer(
      Channel channel,
      Topology topology,
      String consumer,
      HttpClient http,
      URI endpoint,
      Counts counts) {
    super(channel);
    this.topology = topology;
    this.consumer = consumer;
    this.http = http;
    this.endpoint = endpoint;
    this.counts = counts;
  }

  @Override
  public void handleDelivery(
      String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
      throws IOException {
    Map<String, Object> headers = properties.getHeaders();
    boolean ok;
    try {
      ok = post(headers, body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return; // shutting down: unacked, the broker redelivers it
    }
    Channel channel = getChannel();
    if (ok) {
      channel.basicAck(envelope.getDeliveryTag(), false);
      counts.delivered().incrementAndGet();
    } else if (Attempts.exhausted(
        Attempts.failedSoFar(headers, topology.queue(consumer)), Topology.MAX_ATTEMPTS)) {
      channel.basicPublish(
          "",
          topology.deadLetterQueue(consumer),
          properties.builder().deliveryMode(2).build(),
          body);
      try {
        channel.waitForConfirmsOrDie(TIMEOUT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (TimeoutException e) {
        throw new IOException("no confirm for a dead letter within " + TIMEOUT, e);
      }
      channel.basicAck(envelope.getDeliveryTag(), false);
      counts.deadLettered().incrementAndGet();
    } else {
      channel.basicReject(envelope.getDeliveryTag(), false);
      counts.retried().incrementAndGet();
    }
  }

  private boolean post(Map<String, Object> headers, byte[] body) throws InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    Object publishedAt = headers == null ? null : headers.get(PUBLISHED_AT);
    if (publishedAt != null) {
      request.header(PUBLISHED_AT, publishedAt.toString());
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode() / 100
          == 2;
    } catch (IOException e) {
      return false;
    }
  }
}
