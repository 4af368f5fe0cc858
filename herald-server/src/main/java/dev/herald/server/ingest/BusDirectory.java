package dev.herald.server.ingest;

import dev.herald.store.Bus;
import dev.herald.store.ConfigStore;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The buses this instance knows, by name and by ordinal, read from the state store. Thread-safe:
 * the maps are replaced whole (copy on reload) and published through a volatile field; a miss
 * reloads at most once per {@link #MIN_RELOAD} so that requests for unknown buses cannot flood the
 * store.
 */
public final class BusDirectory {
  static final Duration MIN_RELOAD = Duration.ofSeconds(1);

  private record Snapshot(Map<String, Bus> byName, Map<Integer, Bus> byOrdinal, long loadedAt) {}

  private final ConfigStore store;
  private final InstantSource clock;
  private volatile Snapshot snapshot;

  public BusDirectory(ConfigStore store, InstantSource clock) {
    this.store = store;
    this.clock = clock;
    reload();
  }

  public Optional<Bus> byName(String name) {
    return lookup(s -> s.byName().get(name));
  }

  public Optional<Bus> byOrdinal(int ordinal) {
    return lookup(s -> s.byOrdinal().get(ordinal));
  }

  private Optional<Bus> lookup(Function<Snapshot, Bus> find) {
    Bus bus = find.apply(snapshot);
    if (bus == null && clock.millis() - snapshot.loadedAt() >= MIN_RELOAD.toMillis()) {
      reload();
      bus = find.apply(snapshot);
    }
    return Optional.ofNullable(bus);
  }

  /** Reads every bus from the store again. */
  public synchronized void reload() {
    var buses = store.buses();
    snapshot =
        new Snapshot(
            buses.stream().collect(Collectors.toUnmodifiableMap(Bus::name, b -> b)),
            buses.stream().collect(Collectors.toUnmodifiableMap(Bus::ordinal, b -> b)),
            clock.millis());
  }
}
