package dev.herald.bench.rabbit;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.herald.bench.load.Loopback;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP consumers of the RabbitMQ baseline, in a JVM of their own so that their CPU can be
 * measured apart from the load generator's:
 *
 * <pre>
 * java -cp herald-bench.jar dev.herald.bench.rabbit.RabbitConsumers AMQP_URI PREFIX CHANNELS PREFETCH MAX_SECONDS NAME=URL...
 * </pre>
 *
 * Per consumer NAME (its queue declared by {@link Topology} under PREFIX): one connection with
 * CHANNELS channels, each with a prefetch of PREFETCH and an {@link HttpConsumer} posting to URL,
 * dispatched on CHANNELS threads of its own (the client's default pool would have fewer). Prints
 * {@code ready} once every channel consumes; stops when its standard input closes (the parent went
 * away or said so) or after MAX_SECONDS, closing its connections (unacked messages go back to their
 * queues), and prints its counts.
 */
public final class RabbitConsumers {
  private RabbitConsumers() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 6) {
      throw new IllegalArgumentException(
          "usage: RabbitConsumers AMQP_URI PREFIX CHANNELS PREFETCH MAX_SECONDS NAME=URL...");
    }
    URI amqp = URI.create(args[0]);
    Loopback.require("AMQP_URI", amqp.getHost());
    Topology topology = new Topology(args[1]);
    int channels = positive("CHANNELS", args[2]);
    int prefetch = positive("PREFETCH", args[3]);
    int maxSeconds = positive("MAX_SECONDS", args[4]);
    Map<String, URI> endpoints = new LinkedHashMap<>();
    for (int i = 5; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("consumer: " + args[i] + " is not NAME=URL");
      }
      URI url = URI.create(args[i].substring(eq + 1));
      Loopback.require("consumer " + args[i].substring(0, eq), url.getHost());
      endpoints.put(args[i].substring(0, eq), url);
    }
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(amqp);
    HttpConsumer.Counts counts = new HttpConsumer.Counts();
    List<Connection> connections = new ArrayList<>();
    List<ExecutorService> pools = new ArrayList<>();
    try {
      for (Map.Entry<String, URI> e : endpoints.entrySet()) {
        ExecutorService pool = Executors.newFixedThreadPool(channels);
        pools.add(pool);
        Connection connection = factory.newConnection(pool, "herald-bench " + e.getKey());
        connections.add(connection);
        HttpClient http =
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        for (int c = 0; c < channels; c++) {
          Channel channel = connection.createChannel();
          channel.basicQos(prefetch);
          channel.confirmSelect(); // for dead letters
          channel.basicConsume(
              topology.queue(e.getKey()),
              false,
              new HttpConsumer(channel, topology, e.getKey(), http, e.getValue(), counts));
        }
      }
      System.out.println("ready");
      System.out.flush();
      CountDownLatch stop = new CountDownLatch(1);
      Thread.ofPlatform().daemon().start(() -> drain(System.in, stop));
      stop.await(maxSeconds, TimeUnit.SECONDS);
    } finally {
      for (Connection connection : connections) {
        try {
          connection.close(5_000);
        } catch (IOException | RuntimeException e) {
          System.err.println("closing a connection: " + e);
        }
      }
      pools.forEach(ExecutorService::shutdownNow);
      System.out.println("consumers: " + counts);
    }
  }

  private static void drain(InputStream in, CountDownLatch stop) {
    try {
      while (in.read() >= 0) {
        // anything but end of input is ignored
      }
    } catch (IOException e) {
      // the parent is gone: stop as well
    }
    stop.countDown();
  }

  private static int positive(String name, String value) {
    try {
      int n = Integer.parseInt(value);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + ": " + value + " is not a positive integer");
  }
}
