package dev.herald.targets;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where outbound requests of targets may go, beyond the public internet.
 *
 * @param loopbackAllowed whether Herald itself is bound to loopback (development): outbound
 *     requests may then go to loopback addresses (never to Herald's own ports)
 * @param allowedHosts host names (as written in target URLs, case-insensitive) that may resolve to
 *     loopback or private addresses
 * @param allowedNetworks address ranges that may be reached although loopback or private
 * @param ownPorts the ports Herald itself listens on (HTTP, the embedded broker); a local address
 *     on one of them is never a target. A live view: the server adds its ports as its listeners
 *     start.
 *     <p>Thread-safety: immutable apart from {@code ownPorts}, which must be a thread-safe set.
 */
public record OutboundRules(
    boolean loopbackAllowed,
    Set<String> allowedHosts,
    List<Network> allowedNetworks,
    Set<Integer> ownPorts) {

  private static final Pattern HOST_NAME =
      Pattern.compile(
          "(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
  private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+");

  public OutboundRules {
    allowedHosts =
        allowedHosts.stream()
            .map(h -> h.toLowerCase(Locale.ROOT))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    allowedNetworks = List.copyOf(allowedNetworks);
    Objects.requireNonNull(ownPorts, "ownPorts");
  }

  /** Nothing allow-listed, no own ports known. */
  public static OutboundRules of(boolean loopbackAllowed, Set<String> allowedHosts) {
    return new OutboundRules(loopbackAllowed, allowedHosts, List.of(), Set.of());
  }

  /**
   * Reads an allow-list as {@code HERALD_OUTBOUND_ALLOW} holds it: CIDRs ({@code 10.1.0.0/16},
   * {@code fd00::/8}), single addresses and host names, separated by commas.
   *
   * @throws IllegalArgumentException naming the first bad entry
   */
  public static OutboundRules parse(boolean loopbackAllowed, String allowList, Set<Integer> own) {
    Set<String> hosts = new LinkedHashSet<>();
    List<Network> networks = new ArrayList<>();
    for (String raw : allowList.split(",", -1)) {
      String entry = raw.strip();
      if (entry.isEmpty()) {
        if (allowList.isBlank()) {
          continue;
        }
        throw new IllegalArgumentException(
            "HERALD_OUTBOUND_ALLOW has an empty entry (two commas, or a trailing comma)");
      }
      if (entry.contains("/") || (LITERAL.matcher(entry).matches() && isAddress(entry))) {
        networks.add(Network.parse(entry, "HERALD_OUTBOUND_ALLOW"));
      } else if (HOST_NAME.matcher(entry).matches()
          && entry.length() <= 253
          && !entry.matches("[0-9.]+")) { // 10.0.0 is a short form of an address, not a name
        hosts.add(entry);
      } else {
        throw new IllegalArgumentException(
            "HERALD_OUTBOUND_ALLOW entry '"
                + entry
                + "' is neither a CIDR (10.0.0.0/8), an IP address nor a host name");
      }
    }
    return new OutboundRules(loopbackAllowed, hosts, networks, own);
  }

  private static boolean isAddress(String entry) {
    return entry.contains(":") || entry.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
  }

  /** Whether {@code address} lies in one of the allowed networks. */
  public boolean allows(InetAddress address) {
    for (Network n : allowedNetworks) {
      if (n.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code host} (as written in a URL) is an allow-listed name. */
  public boolean allowsName(String host) {
    return allowedHosts.contains(host.toLowerCase(Locale.ROOT));
  }

  /** An address range: the first {@code prefix} bits of {@code address}. */
  public record Network(InetAddress address, int prefix) {
    public Network {
      int bits = address.getAddress().length * 8;
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException("prefix " + prefix + " out of 0.." + bits);
      }
    }

    /** Parses a CIDR or single address, an entry of the setting {@code setting}. */
    static Network parse(String entry, String setting) {
      int slash = entry.indexOf('/');
      String addr = slash < 0 ? entry : entry.substring(0, slash);
      if (!LITERAL.matcher(addr).matches() || !isAddress(addr)) {
        throw bad(setting, entry, "'" + addr + "' is not an IP address");
      }
      InetAddress address;
      try {
        address = InetAddress.getByName(addr); // a literal: no DNS
      } catch (UnknownHostException e) {
        throw bad(setting, entry, "'" + addr + "' is not an IP address");
      }
      int bits = address.getAddress().length * 8;
      int prefix = bits;
      if (slash >= 0) {
        String p = entry.substring(slash + 1);
        if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > bits) {
          throw bad(setting, entry, "the prefix length must be 0.." + bits);
        }
        prefix = Integer.parseInt(p);
      }
      return new Network(address, prefix);
    }

    private static IllegalArgumentException bad(String setting, String entry, String why) {
      return new IllegalArgumentException(
          setting + " entry '" + entry + "' is not a valid CIDR: " + why);
    }

    public boolean contains(InetAddress candidate) {
      byte[] net = address.getAddress();
      byte[] c = candidate.getAddress();
      if (net.length != c.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (net[i] != c[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (net[full] & mask) == (c[full] & mask);
    }
  }
}
