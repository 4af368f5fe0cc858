package dev.herald.bench.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.herald.bench.route.Receiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The baseline's retry and dead-letter topology against the RabbitMQ of this machine
 * (127.0.0.1:5672, guest/guest; skipped when none answers), with the real HTTP receiver.
 */
class RetryTopologyTest {
  private static final List<String> CONSUMERS = List.of("c1");
  private final Topology topology =
      new Topology("herald-bench-test." + ProcessHandle.current().pid());
  private Connection connection;
  private Channel admin;
  private Receiver receiver;
  private final HttpConsumer.Counts counts = new HttpConsumer.Counts();

  @BeforeEach
  void setUp() throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri("amqp://guest:guest@127.0.0.1:5672");
    factory.setConnectionTimeout(2_000);
    try {
      connection = factory.newConnection("herald-bench test");
    } catch (java.io.IOException e) {
      assumeTrue(false, "no RabbitMQ at 127.0.0.1:5672: " + e);
    }
    admin = connection.createChannel();
    topology.declare(admin, CONSUMERS);
    receiver = Receiver.start(500, Duration.ofMillis(10));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (connection != null) {
      topology.delete(connection.createChannel(), CONSUMERS);
      connection.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  private void consume(String path) throws Exception {
    Channel channel = connection.createChannel();
    channel.basicQos(250);
    channel.confirmSelect();
    channel.basicConsume(
        topology.queue("c1"),
        false,
        new HttpConsumer(
            channel,
            topology,
            "c1",
            HttpClient.newHttpClient(),
            URI.create(receiver.url(path)),
            counts));
  }

  private void publishOne() throws Exception {
    try (ConfirmedPublisher publisher =
        new ConfirmedPublisher(connection, topology.exchange(), 100)) {
      publisher.publish(ConfirmedPublisher.message(7));
      publisher.awaitConfirms(Duration.ofSeconds(10));
    }
  }

  private GetResponse awaitDeadLetter(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      GetResponse r = admin.basicGet(topology.deadLetterQueue("c1"), true);
      if (r != null) {
        return r;
      }
      Thread.sleep(100);
    }
    return null;
  }

  @Test
  void aMessageFailingFiveTimesEndsInTheConsumersDeadLetterQueue() throws Exception {
    consume("/fail");

    publishOne();
    GetResponse dead = awaitDeadLetter(Duration.ofSeconds(30));

    assertThat(dead).as("a message in %s", topology.deadLetterQueue("c1")).isNotNull();
    assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).contains("\"orderId\":\"o-7\"");
    assertThat(receiver.failed()).isEqualTo(Topology.MAX_ATTEMPTS);
    assertThat(counts.retried().get()).isEqualTo(Topology.MAX_ATTEMPTS - 1);
    assertThat(counts.deadLettered().get()).isEqualTo(1);
    assertThat(counts.delivered().get()).isZero();
    assertThat(Attempts.failedSoFar(dead.getProps().getHeaders(), topology.queue("c1")))
        .isEqualTo(Topology.MAX_ATTEMPTS - 1);
    assertThat(admin.messageCount(topology.queue("c1"))).isZero();
    assertThat(admin.messageCount(topology.retryQueue("c1"))).isZero();
  }

  @Test
  void aMessageAnsweredWith2xxIsAckedOnceAndNeverRetried() throws Exception {
    consume("/hook");

    publishOne();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (counts.delivered().get() < 1 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Thread.sleep(1_500); // longer than the retry delay: a wrongly retried copy would show

    assertThat(receiver.received()).isEqualTo(1);
    assertThat(counts.delivered().get()).isEqualTo(1);
    assertThat(counts.retried().get()).isZero();
    assertThat(admin.messageCount(topology.deadLetterQueue("c1"))).isZero();
    assertThat(admin.messageCount(topology.retryQueue("c1"))).isZero();
  }

  @Test
  void aFailureFollowedBySuccessIsDeliveredOnTheRetry() throws Exception {
    // the first attempt is answered 500, the retry loop brings the message back to /hook
    Channel channel = connection.createChannel();
    channel.confirmSelect();
    HttpClient http = HttpClient.newHttpClient();
    String[] paths = {"/fail", "/hook"};
    int[] attempt = {0};
    channel.basicConsume(
        topology.queue("c1"),
        false,
        new com.rabbitmq.client.DefaultConsumer(channel) {
          @Override
          public void handleDelivery(
              String tag,
              com.rabbitmq.client.Envelope envelope,
              com.rabbitmq.client.AMQP.BasicProperties properties,
              byte[] body)
              throws java.io.IOException {
            String path = paths[Math.min(attempt[0]++, 1)];
            new HttpConsumer(channel, topology, "c1", http, URI.create(receiver.url(path)), counts)
                .handleDelivery(tag, envelope, properties, body);
          }
        });

    publishOne();
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (counts.delivered().get() < 1 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }

    assertThat(receiver.failed()).isEqualTo(1);
    assertThat(counts.retried().get()).isEqualTo(1);
    assertThat(counts.delivered().get()).isEqualTo(1);
    assertThat(receiver.received()).isEqualTo(1);
  }
}
