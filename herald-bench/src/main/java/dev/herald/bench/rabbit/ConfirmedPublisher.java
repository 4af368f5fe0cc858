package dev.herald.bench.rabbit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes persistent JSON messages to the baseline's exchange with publisher confirms and an
 * asynchronous window: at most {@code window} messages unconfirmed, a publish waits for room. Each
 * message carries its publish time (epoch millis) in {@value HttpConsumer#PUBLISHED_AT}.
 *
 * <p>Thread-safety: {@link #publish} may be called from several threads (serialized on this object,
 * as a channel needs); the broker's confirms arrive on the connection's thread and only touch the
 * concurrent set and the semaphore.
 */
public final class ConfirmedPublisher implements AutoCloseable {
  /** The size of every message body, in bytes. */
  public static final int MESSAGE_BYTES = 300;

  private final Channel channel;
  private final String exchange;
  private final int window;
  private final Semaphore room;
  private final NavigableSet<Long> unconfirmed = new ConcurrentSkipListSet<>();
  private final AtomicLong nacked = new AtomicLong();
  private long sequence;

  public ConfirmedPublisher(Connection connection, String exchange, int window) throws IOException {
    if (window < 1) {
      throw new IllegalArgumentException("window: " + window + " must be at least 1");
    }
    this.exchange = exchange;
    this.window = window;
    this.room = new Semaphore(window);
    this.channel = connection.createChannel();
    channel.confirmSelect();
    channel.addConfirmListener(
        (tag, multiple) -> settle(tag, multiple),
        (tag, multiple) -> nacked.addAndGet(settle(tag, multiple)));
  }

  private int settle(long tag, boolean multiple) {
    int settled = 0;
    if (multiple) {
      for (Long t : unconfirmed.headSet(tag, true)) {
        if (unconfirmed.remove(t)) {
          settled++;
        }
      }
    } else if (unconfirmed.remove(tag)) {
      settled = 1;
    }
    room.release(settled);
    return settled;
  }

  /** A 300-byte JSON event, the same shape as the events the Herald side publishes. */
  public static byte[] message(long n) {
    String head =
        "{\"source\":\"bench.route\",\"detailType\":\"OrderPlaced\",\"detail\":{\"orderId\":\"o-"
            + n
            + "\",\"total\":"
            + (n % 1000) * 1.5
            + ",\"pad\":\"";
    String tail = "\"}}";
    int pad = MESSAGE_BYTES - head.length() - tail.length();
    if (pad < 0) {
      throw new IllegalArgumentException("n: " + n + " makes the event longer than 300 bytes");
    }
    return (head + "x".repeat(pad) + tail).getBytes(StandardCharsets.UTF_8);
  }

  /** Publishes one message once the window has room (waits at most 30 s). */
  public void publish(byte[] body) throws IOException, InterruptedException {
    if (!room.tryAcquire(30, TimeUnit.SECONDS)) {
      throw new IOException("no publisher confirm for 30 s (" + window + " unconfirmed)");
    }
    synchronized (this) {
      if (sequence == 0) {
        sequence = channel.getNextPublishSeqNo();
      }
      unconfirmed.add(sequence++);
      channel.basicPublish(
          exchange,
          Topology.ROUTING_KEY,
          new AMQP.BasicProperties.Builder()
              .contentType("application/json")
              .deliveryMode(2)
              .headers(Map.of(HttpConsumer.PUBLISHED_AT, Long.toString(System.currentTimeMillis())))
              .build(),
          body);
    }
  }

  /** Waits until every message published so far is confirmed; fails on a timeout or a nack. */
  public void awaitConfirms(Duration timeout)
      throws InterruptedException, TimeoutException, IOException {
    if (!room.tryAcquire(window, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new TimeoutException(unconfirmed.size() + " messages unconfirmed after " + timeout);
    }
    room.release(window);
    if (nacked.get() > 0) {
      throw new IOException("the broker refused (nacked) " + nacked.get() + " messages");
    }
  }

  @Override
  public void close() throws IOException, TimeoutException {
    if (channel.isOpen()) {
      channel.close();
    }
  }
}
