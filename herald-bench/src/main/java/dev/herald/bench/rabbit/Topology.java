package dev.herald.bench.rabbit;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The hand-built fan-out of the RabbitMQ baseline (issue 10), all names under one prefix:
 *
 * <ul>
 *   <li>{@code PREFIX.events}: a durable topic exchange that publishers send to, routing key
 *       {@value #ROUTING_KEY};
 *   <li>per consumer C: {@code PREFIX.C}, a quorum queue bound to the exchange with {@value
 *       #BINDING_KEY}, whose dead-letter exchange is {@code PREFIX.C.dlx} (fanout);
 *   <li>{@code PREFIX.C.retry}: a quorum queue bound to that exchange, message TTL {@value
 *       #RETRY_DELAY_MS} ms, dead-lettering through the default exchange back to {@code PREFIX.C};
 *   <li>{@code PREFIX.C.dlq}: a quorum queue where the consumer publishes a message whose {@value
 *       #MAX_ATTEMPTS}th attempt failed (attempts counted from the {@code x-death} header).
 * </ul>
 *
 * Immutable.
 */
public record Topology(String prefix) {
  public static final String ROUTING_KEY = "bench.route.order-placed";
  public static final String BINDING_KEY = "bench.route.#";
  public static final int RETRY_DELAY_MS = 1_000;
  public static final int MAX_ATTEMPTS = 5;
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{0,100}");

  public Topology {
    if (prefix == null || !NAME.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "prefix: " + prefix + " is not a name of lower-case letters, digits, '.' and '-'");
    }
  }

  public String exchange() {
    return prefix + ".events";
  }

  public String queue(String consumer) {
    return prefix + "." + check(consumer);
  }

  public String deadLetterExchange(String consumer) {
    return queue(consumer) + ".dlx";
  }

  public String retryQueue(String consumer) {
    return queue(consumer) + ".retry";
  }

  public String deadLetterQueue(String consumer) {
    return queue(consumer) + ".dlq";
  }

  /** Declares the exchange and, per consumer, its queue, retry loop and dead-letter queue. */
  public void declare(Channel channel, List<String> consumers) throws IOException {
    channel.exchangeDeclare(exchange(), BuiltinExchangeType.TOPIC, true);
    for (String c : consumers) {
      channel.exchangeDeclare(deadLetterExchange(c), BuiltinExchangeType.FANOUT, true);
      channel.queueDeclare(
          queue(c),
          true,
          false,
          false,
          Map.of("x-queue-type", "quorum", "x-dead-letter-exchange", deadLetterExchange(c)));
      channel.queueBind(queue(c), exchange(), BINDING_KEY);
      channel.queueDeclare(
          retryQueue(c),
          true,
          false,
          false,
          Map.of(
              "x-queue-type",
              "quorum",
              "x-message-ttl",
              RETRY_DELAY_MS,
              "x-dead-letter-exchange",
              "",
              "x-dead-letter-routing-key",
              queue(c)));
      channel.queueBind(retryQueue(c), deadLetterExchange(c), "");
      channel.queueDeclare(
          deadLetterQueue(c), true, false, false, Map.of("x-queue-type", "quorum"));
    }
  }

  /** Deletes what {@link #declare} declared for these consumers, and the exchange. */
  public void delete(Channel channel, List<String> consumers) throws IOException {
    for (String c : consumers) {
      channel.queueDelete(queue(c));
      channel.queueDelete(retryQueue(c));
      channel.queueDelete(deadLetterQueue(c));
      channel.exchangeDelete(deadLetterExchange(c));
    }
    channel.exchangeDelete(exchange());
  }

  private static String check(String consumer) {
    if (consumer == null || !NAME.matcher(consumer).matches()) {
      throw new IllegalArgumentException(
          "consumer: " + consumer + " is not a name of lower-case letters, digits, '.' and '-'");
    }
    return consumer;
  }
}
