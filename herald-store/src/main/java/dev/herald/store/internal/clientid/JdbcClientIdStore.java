package dev.herald.store.internal.clientid;

import dev.herald.store.ClientIdRecord;
import dev.herald.store.ClientIdStore;
import dev.herald.store.internal.db.Database;
import dev.herald.store.internal.db.StoreCalls;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link ClientIdStore} over either database: checks arguments, then {@link
 * ClientIdRepository}.
 *
 * <p><b>Thread safety.</b> Stateless apart from the repository, thread-safe as the {@link Database}
 * underneath is.
 */
public final class JdbcClientIdStore implements ClientIdStore {
  private final StoreCalls calls;
  private final ClientIdRepository clientIds;

  public JdbcClientIdStore(Database db, StoreCalls calls) {
    this.calls = calls;
    this.clientIds = new ClientIdRepository(db);
  }

  @Override
  public Optional<String> findEventIdForClientId(String bus, String clientId, Instant notBefore) {
    Objects.requireNonNull(bus, "bus");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(notBefore, "notBefore");
    return calls.call(
        () -> clientIds.find(bus, clientId, notBefore),
        "look up client id '" + clientId + "' of bus '" + bus + "'");
  }

  @Override
  public void rememberClientIds(List<ClientIdRecord> records) {
    List<ClientIdRecord> copy = List.copyOf(Objects.requireNonNull(records, "records"));
    if (copy.isEmpty()) {
      calls.ensureOpen();
      return;
    }
    calls.run(() -> clientIds.remember(copy), "remember " + copy.size() + " client ids");
  }

  @Override
  public int purgeClientIdsBefore(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff");
    return calls.call(() -> clientIds.purgeBefore(cutoff), "purge client ids before " + cutoff);
  }
}
