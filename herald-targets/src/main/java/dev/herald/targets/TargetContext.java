package dev.herald.targets;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Set;

/**
 * What targets need from the running Herald.
 *
 * @param loopbackAllowed whether Herald itself is bound to loopback (development): outbound
 *     requests may then go to loopback addresses
 * @param allowedHosts host names (as written in target URLs, case-insensitive) that may resolve to
 *     loopback or private addresses
 * @param pluginsDir where the jars of {@code function} targets are; their {@code jar} setting is a
 *     path relative to it (kept absolute and normalized here)
 * @param services what the audit, analytics, queue and bus targets write to
 */
public record TargetContext(
    InstantSource clock,
    boolean loopbackAllowed,
    Set<String> allowedHosts,
    Path pluginsDir,
    TargetServices services) {

  public TargetContext {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(services, "services");
    allowedHosts =
        allowedHosts.stream()
            .map(h -> h.toLowerCase(java.util.Locale.ROOT))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    pluginsDir = pluginsDir.toAbsolutePath().normalize();
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
