package dev.herald.targets;

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
 */
public record TargetContext(
    InstantSource clock, boolean loopbackAllowed, Set<String> allowedHosts) {

  public TargetContext {
    Objects.requireNonNull(clock, "clock");
    allowedHosts =
        allowedHosts.stream()
            .map(h -> h.toLowerCase(java.util.Locale.ROOT))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  /** The production default: system clock, no loopback, nothing allow-listed. */
  public static TargetContext defaults() {
    return new TargetContext(InstantSource.system(), false, Set.of());
  }
}
