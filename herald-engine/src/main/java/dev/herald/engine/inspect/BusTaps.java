package dev.herald.engine.inspect;

import dev.herald.core.routing.RoutableEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Taps on the events this instance's routers read: a router hands each event it has read and routed
 * to the taps open on its bus, so that a live tail costs no second fetch and no second decode of
 * the bus (a tail with a consumer of its own, {@link BusTail}, reads and decodes every event
 * again).
 *
 * <p>A tap sees what the local router reads, so it shows a whole bus only where one router reads
 * all its partitions: an embedded Herald. On a cluster each instance's router reads a share of
 * them, and a tail must read the bus itself.
 *
 * <p>A tap's callback runs on the router's thread after its batch is routed and committed, in
 * partition order; it must not block (a tail offers to a bounded queue and drops a client that does
 * not read). A callback that throws is closed and logged; routing goes on.
 *
 * <p><b>Thread safety.</b> {@link #open} and closing a feed may run on any thread; the router reads
 * {@link #of} once per batch: a map lookup, {@code null} while no tap is open on the bus.
 */
public final class BusTaps {
  private static final Logger LOG = LoggerFactory.getLogger(BusTaps.class);

  private final Map<String, List<Tap>> taps = new ConcurrentHashMap<>();

  /** Opens a tap on {@code bus}: {@code sink} gets each event the router reads from now on. */
  public LiveFeed open(String bus, Consumer<RoutableEvent> sink) {
    Tap tap = new Tap(bus, sink);
    taps.compute(
        bus,
        (b, open) -> {
          List<Tap> list = open == null ? new CopyOnWriteArrayList<>() : open;
          list.add(tap);
          return list;
        });
    return tap;
  }

  /** The taps open on {@code bus}, or {@code null} when there is none (the router's fast path). */
  public List<? extends Consumer<RoutableEvent>> of(String bus) {
    List<Tap> open = taps.get(bus);
    return open == null || open.isEmpty() ? null : open;
  }

  private final class Tap implements LiveFeed, Consumer<RoutableEvent> {
    private final String bus;
    private final Consumer<RoutableEvent> sink;
    private volatile boolean open = true;

    Tap(String bus, Consumer<RoutableEvent> sink) {
      this.bus = bus;
      this.sink = sink;
    }

    @Override
    public void accept(RoutableEvent event) {
      if (!open) {
        return;
      }
      try {
        sink.accept(event);
      } catch (RuntimeException e) {
        LOG.warn("tap on bus {} failed and was closed: {}", bus, e.toString());
        close();
      }
    }

    @Override
    public boolean isRunning() {
      return open;
    }

    @Override
    public void close() {
      open = false;
      taps.computeIfPresent(bus, (b, list) -> list.remove(this) && list.isEmpty() ? null : list);
    }
  }
}
