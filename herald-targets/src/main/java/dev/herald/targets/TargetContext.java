package dev.herald.targets;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What targets need from the running Herald.
 *
 * @param outbound where outbound requests (webhook, chat, SMTP, OAuth token URLs) may go beyond
 *     public addresses
 * @param pluginsDir where the jars of {@code function} targets are; their {@code jar} setting is a
 *     path relative to it (kept absolute and normalized here)
 * @param services what the audit, analytics, queue and bus targets write to
 * @param proxy the egress proxy that outbound HTTP (webhook, chat, OAuth token URLs) passes
 *     through, if any; SMTP goes direct
 */
public record TargetContext(
    InstantSource clock,
    OutboundRules outbound,
    Path pluginsDir,
    TargetServices services,
    Optional<EgressProxy> proxy) {

  public TargetContext {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(services, "services");
    Objects.requireNonNull(outbound, "outbound");
    Objects.requireNonNull(proxy, "proxy");
    pluginsDir = pluginsDir.toAbsolutePath().normalize();
  }

  /** A context without an egress proxy. */
  public TargetContext(
      InstantSource clock, OutboundRules outbound, Path pluginsDir, TargetServices services) {
    this(clock, outbound, pluginsDir, services, Optional.empty());
  }

  /** A copy whose outbound HTTP passes through {@code proxy}. */
  public TargetContext withProxy(EgressProxy proxy) {
    return new TargetContext(clock, outbound, pluginsDir, services, Optional.of(proxy));
  }

  /** A context whose outbound rules are only the loopback switch and allow-listed host names. */
  public TargetContext(
      InstantSource clock,
      boolean loopbackAllowed,
      Set<String> allowedHosts,
      Path pluginsDir,
      TargetServices services) {
    this(clock, OutboundRules.of(loopbackAllowed, allowedHosts), pluginsDir, services);
  }

  /** A context without services (enough for webhook, chat, email, log and function targets). */
  public TargetContext(
      InstantSource clock, boolean loopbackAllowed, Set<String> allowedHosts, Path pluginsDir) {
    this(clock, loopbackAllowed, allowedHosts, pluginsDir, TargetServices.none());
  }

  /**
   * The production default: system clock, no loopback, nothing allow-listed, plugins in {@code
   * herald-data/plugins} (the default data directory's).
   */
  public static TargetContext defaults() {
    return new TargetContext(
        InstantSource.system(), false, Set.of(), Path.of("herald-data", "plugins"));
  }
}
