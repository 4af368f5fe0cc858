package dev.herald.server.config;

import dev.herald.core.routing.RoutingTable;
import dev.herald.store.ConfigStore;
import dev.herald.store.Stored;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compiled routing table of each bus, rebuilt from the store when one of its rules changes.
 * Thread-safe: tables are immutable and replaced whole in a concurrent map; routers read the
 * current one at each batch.
 */
public final class RoutingTables {
  private static final Logger LOG = LoggerFactory.getLogger(RoutingTables.class);

  private final ConfigStore store;
  private final Map<String, RoutingTable> tables = new ConcurrentHashMap<>();

  public RoutingTables(ConfigStore store) {
    this.store = store;
  }

  public RoutingTable get(String bus) {
    return tables.computeIfAbsent(bus, b -> load(b, Optional.empty()));
  }

  /** Rebuilds the table of a bus from its stored rules. */
  public void reload(String bus) {
    tables.compute(bus, (b, previous) -> load(b, Optional.ofNullable(previous)));
  }

  public void remove(String bus) {
    tables.remove(bus);
  }

  private RoutingTable load(String bus, Optional<RoutingTable> previous) {
    var rules = store.rules(bus).stream().map(Stored::spec).toList();
    RoutingTable table = RoutingTable.build(bus, rules, previous);
    LOG.info(
        "routing table of bus {}: {} enabled rules of {}", bus, table.ruleCount(), rules.size());
    return table;
  }
}
