package dev.herald.store.internal;

import dev.herald.core.event.Names;
import dev.herald.store.Bus;
import dev.herald.store.ClientIdRecord;
import dev.herald.store.StateStore;
import dev.herald.store.StoreClosedException;
import dev.herald.store.StoreUnavailableException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@link StateStore} over either {@link Database}: checks arguments, delegates to one
 * repository per table and turns {@link SQLException} into {@link StoreUnavailableException}.
 *
 * <p><b>Thread safety.</b> Holds no mutable state but the closed flag; every call may run
 * concurrently, as the {@link Database} underneath is thread-safe (see there where work runs).
 */
final class JdbcStateStore implements StateStore {

  private static final String HEARTBEAT =
      "INSERT INTO heartbeat (id, beat_at) VALUES (1, ?)"
          + " ON CONFLICT (id) DO UPDATE SET beat_at = excluded.beat_at";

  private final Database db;
  private final InstantSource clock;
  private final BusRepository buses;
  private final ClientIdRepository clientIds;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** A store call that may fail with an SQL error. */
  @FunctionalInterface
  private interface Call<T> {
    T run() throws SQLException;
  }

  JdbcStateStore(Database db, InstantSource clock) {
    this.db = db;
    this.clock = clock;
    this.buses = new BusRepository(db, clock);
    this.clientIds = new ClientIdRepository(db);
  }

  @Override
  public String kind() {
    return db.kind();
  }

  @Override
  public Bus ensureBus(String name, String description) {
    if (!Names.isValid(name)) {
      throw new IllegalArgumentException(
          "bus name must be " + Names.describe() + ", got '" + name + "'");
    }
    Objects.requireNonNull(description, "description");
    return call(() -> buses.ensure(name, description), "ensure bus '" + name + "'");
  }

  @Override
  public Optional<Bus> bus(String name) {
    Objects.requireNonNull(name, "name");
    return call(() -> buses.byName(name), "read bus '" + name + "'");
  }

  @Override
  public Optional<Bus> busByOrdinal(int ordinal) {
    return call(() -> buses.byOrdinal(ordinal), "read the bus with ordinal " + ordinal);
  }

  @Override
  public List<Bus> buses() {
    return call(buses::all, "list buses");
  }

  @Override
  public Optional<String> findEventIdForClientId(String bus, String clientId, Instant notBefore) {
    Objects.requireNonNull(bus, "bus");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(notBefore, "notBefore");
    return call(
        () -> clientIds.find(bus, clientId, notBefore),
        "look up client id '" + clientId + "' of bus '" + bus + "'");
  }

  @Override
  public void rememberClientIds(List<ClientIdRecord> records) {
    List<ClientIdRecord> copy = List.copyOf(Objects.requireNonNull(records, "records"));
    if (copy.isEmpty()) {
      ensureOpen();
      return;
    }
    call(
        () -> {
          clientIds.remember(copy);
          return null;
        },
        "remember " + copy.size() + " client ids");
  }

  @Override
  public int purgeClientIdsBefore(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff");
    return call(() -> clientIds.purgeBefore(cutoff), "purge client ids before " + cutoff);
  }

  @Override
  public void checkWritable() {
    long now = clock.millis();
    call(() -> db.write(c -> Sql.update(c, HEARTBEAT, s -> s.setLong(1, now))), "accept a write");
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      db.close();
    }
  }

  private <T> T call(Call<T> call, String what) {
    ensureOpen();
    try {
      return call.run();
    } catch (SQLException e) {
      throw new StoreUnavailableException(
          "the " + db.kind() + " state store could not " + what + ": " + e.getMessage(), e);
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new StoreClosedException("the " + db.kind() + " state store is closed");
    }
  }

  @Override
  public String toString() {
    return "StateStore[" + db.kind() + (closed.get() ? ", closed]" : "]");
  }
}
