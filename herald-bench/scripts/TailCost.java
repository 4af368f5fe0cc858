// Ad-hoc measurement for docs/benchmarks.md ("A live tail open on the bus", issue 12): the CPU
// time per event of what a live tail adds, measured per thread (ThreadMXBean), so that other
// load on the machine moves it little:
//  - decode: RoutableEvent.read of a bus record: what a tail with a reader of its own (BusTail,
//    a cluster's) pays per event on top of the Kafka fetch; a tap on the router (an embedded
//    Herald's) does not, the router has decoded the event already;
//  - frame + offer: what TailApi's session does per event on the feed's thread (the SSE frame
//    from the envelope bytes, offered to the bounded queue);
//  - take + write: what the request's thread does per event (take from the queue, write to the
//    socket; a reader thread drains the other end, its CPU is the client's and not counted).
// Run with herald-core's classpath:
//   ./mvnw -q dependency:build-classpath -pl herald-core -Dmdep.outputFile=/tmp/cp.txt
//   java -cp herald-core/target/classes:$(cat /tmp/cp.txt) herald-bench/scripts/TailCost.java
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.event.EventCodec;
import dev.herald.core.event.EventId;
import dev.herald.core.event.NewEvent;
import dev.herald.core.routing.RoutableEvent;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

public class TailCost {
  static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  public static void main(String[] args) throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode detail = json.createObjectNode();
    detail.put("orderId", "o-123456").put("customer", "c-98765").put("total", 129.95);
    detail.putArray("items").addObject().put("sku", "sku-1").put("qty", 2);
    detail.put("note", "x".repeat(120));
    byte[] value =
        EventCodec.value(
            new NewEvent(
                "default", "shop.orders", "OrderPlaced", Instant.parse("2026-12-07T10:00:00Z"),
                List.of(), detail, Optional.empty(), Optional.empty()));
    System.out.println("bus record " + value.length + " B");
    int n = 200_000;
    for (int round = 0; round < 8; round++) {
      RoutableEvent[] events = new RoutableEvent[n];
      long s = CPU.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        events[i] = RoutableEvent.read(new EventId(1_700_000_000_000L + i, 0, i & 3, i), "default", value, "000000000000", "local");
      }
      long decode = (CPU.getCurrentThreadCpuTime() - s) / n;

      BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(10_000);
      try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
          Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
          Socket accepted = server.accept()) {
        Thread reader = Thread.ofPlatform().start(() -> drain(client));
        long[] writerCpu = {0};
        Thread writer = Thread.ofPlatform().start(() -> writerCpu[0] = write(queue, accepted, n));
        s = CPU.getCurrentThreadCpuTime();
        for (RoutableEvent event : events) {
          byte[] frame = concatenated(event);
          while (!queue.offer(frame)) {
            Thread.onSpinWait(); // the benchmark waits; the tail would drop the client
          }
        }
        long offer = (CPU.getCurrentThreadCpuTime() - s) / n;
        writer.join();
        accepted.shutdownOutput();
        reader.join();
        System.out.printf(
            "round %d: decode %d ns; frame + offer %d ns; take + write %d ns per event%n",
            round, decode, offer, writerCpu[0] / n);
      }
    }
  }

  /** TailApi's frame of an event (Session.offer). */
  static byte[] concatenated(RoutableEvent event) {
    String envelope = new String(event.envelopeBytes(), StandardCharsets.UTF_8);
    return ("event: event\nid: " + event.event().id() + "\ndata: " + envelope + "\n\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  static long write(BlockingQueue<byte[]> queue, Socket socket, int n) {
    long s = CPU.getCurrentThreadCpuTime();
    try {
      OutputStream out = socket.getOutputStream();
      for (int i = 0; i < n; ) {
        byte[] frame = queue.take();
        out.write(frame);
        i++;
        for (byte[] more; i < n && (more = queue.poll()) != null; i++) {
          out.write(more);
        }
        out.flush();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return CPU.getCurrentThreadCpuTime() - s;
  }

  static void drain(Socket socket) {
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = socket.getInputStream()) {
      while (in.read(buffer) >= 0) {}
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
