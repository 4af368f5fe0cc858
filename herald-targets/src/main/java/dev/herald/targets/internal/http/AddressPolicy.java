package dev.herald.targets.internal.http;

import dev.herald.core.config.ConfigException;
import dev.herald.targets.OutboundRules;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * Which addresses outbound requests may go to.
 *
 * <ul>
 *   <li>Always refused: Herald's own ports (its HTTP listener, the embedded broker) on any local
 *       address; unspecified, multicast, broadcast and reserved (240/4) addresses; link-local
 *       (169.254/16, fe80::/10, which hold the cloud metadata endpoints 169.254.169.254 and
 *       fd00:ec2::254).
 *   <li>Only when allow-listed (a host name or a CIDR of {@code HERALD_OUTBOUND_ALLOW}): private
 *       ranges (10/8, 172.16/12, 192.168/16, 100.64/10, 0/8, the benchmarking 198.18/15, fc00::/7),
 *       and loopback, which is also allowed while Herald itself is bound to loopback.
 *   <li>IPv6 addresses that embed an IPv4 address (IPv4-mapped {@code ::ffff:a.b.c.d}, IPv4-
 *       compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) are
 *       judged as the IPv4 address they embed.
 * </ul>
 *
 * A name is refused if any of its addresses is.
 *
 * <p>Thread-safety: immutable (the own ports are a thread-safe live view).
 */
public final class AddressPolicy {
  private final OutboundRules rules;

  public AddressPolicy(OutboundRules rules) {
    this.rules = rules;
  }

  public AddressPolicy(boolean loopbackAllowed, Set<String> allowedHosts) {
    this(OutboundRules.of(loopbackAllowed, allowedHosts));
  }

  /** The host of a URL (or a literal address) was refused. */
  public static final class Forbidden extends Exception {
    private static final long serialVersionUID = 1L;

    Forbidden(String message) {
      super(message);
    }
  }

  /** The port a URL connects to: its explicit port, or its scheme's default. */
  public static int port(URI url) {
    if (url.getPort() >= 0) {
      return url.getPort();
    }
    return "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
  }

  /**
   * Resolves {@code host} and returns the address to connect to on {@code port}.
   *
   * @throws Forbidden if any address of the host is refused
   * @throws UnknownHostException if the name does not resolve
   */
  public InetAddress resolve(String host, int port) throws Forbidden, UnknownHostException {
    InetAddress[] addresses = InetAddress.getAllByName(host);
    boolean listed = rules.allowsName(host);
    for (InetAddress address : addresses) {
      Optional<String> reason = refusal(address, port, listed);
      if (reason.isPresent()) {
        String shown = address.getHostAddress();
        throw new Forbidden(
            (isLiteral(host) ? shown : host + " resolves to " + shown) + ", " + reason.get());
      }
    }
    return addresses[0];
  }

  /**
   * Checks {@code host} without DNS: a literal address is judged as at delivery; a name passes (it
   * is checked each time it is resolved).
   *
   * @throws Forbidden if {@code host} is a literal address that is refused
   */
  public void checkLiteral(String host, int port) throws Forbidden {
    if (!isLiteral(host)) {
      return;
    }
    try {
      resolve(host, port);
    } catch (UnknownHostException e) {
      throw new Forbidden(host + " is not a valid address");
    }
  }

  /**
   * Refuses, when a target is stored, a URL whose host is a literal address that delivery would
   * refuse.
   *
   * @throws ConfigException.Invalid naming {@code field}
   */
  public void requireAllowedLiteral(URI url, String field) {
    requireAllowedLiteral(Http1.bareHost(url), port(url), field);
  }

  /** As {@link #requireAllowedLiteral(URI, String)}, for a host and port (SMTP). */
  public void requireAllowedLiteral(String host, int port, String field) {
    try {
      checkLiteral(host, port);
    } catch (Forbidden e) {
      throw new ConfigException.Invalid(
          "ForbiddenAddress", field, field + " is refused: " + e.getMessage());
    }
  }

  /**
   * Whether plain (unencrypted) HTTP may be used to {@code host}: when it is on the allow-list, or
   * while Herald is bound to loopback and every address of the host is a loopback address. Only
   * names that may pass are resolved; a name that does not resolve may not.
   */
  public boolean allowsPlainHttp(String host) {
    if (rules.allowsName(host)) {
      return true;
    }
    try {
      InetAddress[] all = InetAddress.getAllByName(host);
      for (InetAddress address : all) {
        boolean ok = rules.allows(address) || (rules.loopbackAllowed() && isLoopback(address));
        if (!ok) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private Optional<String> refusal(InetAddress address, int port, boolean listed) {
    if (rules.ownPorts().contains(port) && isLocal(address)) {
      return Optional.of("Herald's own port " + port + " (Herald never calls itself)");
    }
    InetAddress judged = embeddedIpv4(address).orElse(address);
    String embedded =
        judged == address ? "" : " (it embeds the IPv4 address " + judged.getHostAddress() + ")";
    return classRefusal(judged, listed || rules.allows(address) || rules.allows(judged))
        .map(reason -> reason + embedded);
  }

  private Optional<String> classRefusal(InetAddress address, boolean listed) {
    if (address.isAnyLocalAddress()) {
      return Optional.of("an unspecified address");
    }
    if (address.isMulticastAddress()) {
      return Optional.of("a multicast address");
    }
    if (isReserved(address)) {
      return Optional.of("a broadcast or reserved address");
    }
    if (address.isLinkLocalAddress() || isCloudMetadata(address)) {
      return Optional.of("a link-local or cloud metadata address");
    }
    if (isLoopback(address)) {
      return rules.loopbackAllowed() || listed
          ? Optional.empty()
          : Optional.of(
              "a loopback address (allowed only while Herald is bound to loopback,"
                  + " or allow-listed by HERALD_OUTBOUND_ALLOW)");
    }
    if (isPrivate(address)) {
      return listed
          ? Optional.empty()
          : Optional.of("a private address (allow-list it with HERALD_OUTBOUND_ALLOW)");
    }
    return Optional.empty();
  }

  private static boolean isLoopback(InetAddress address) {
    return embeddedIpv4(address).orElse(address).isLoopbackAddress();
  }

  /** Whether {@code address} is one of this machine's: loopback, unspecified or an interface's. */
  private static boolean isLocal(InetAddress address) {
    InetAddress a = embeddedIpv4(address).orElse(address);
    if (a.isLoopbackAddress() || a.isAnyLocalAddress()) {
      return true;
    }
    try {
      return NetworkInterface.getByInetAddress(a) != null;
    } catch (SocketException e) {
      return true; // cannot tell: assume it is ours
    }
  }

  /**
   * The IPv4 address an IPv6 address embeds: IPv4-mapped (::ffff:0:0/96), IPv4-compatible (::/96
   * apart from :: and ::1), NAT64 (64:ff9b::/96, 64:ff9b:1::/48 with the address in the last 32
   * bits) and 6to4 (2002::/16, bits 16..47).
   */
  static Optional<InetAddress> embeddedIpv4(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return Optional.empty();
    }
    byte[] b = address.getAddress();
    byte[] v4 = null;
    if (allZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      v4 = Arrays.copyOfRange(b, 12, 16);
    } else if (allZero(b, 0, 12) && !allZero(b, 12, 15)) {
      v4 = Arrays.copyOfRange(b, 12, 16); // ::a.b.c.d (not :: nor ::1)
    } else if (b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
      boolean wellKnown = allZero(b, 4, 12);
      boolean localUse = b[4] == 0 && b[5] == 1; // 64:ff9b:1::/48
      if (wellKnown || localUse) {
        v4 = Arrays.copyOfRange(b, 12, 16);
      }
    } else if (b[0] == 0x20 && b[1] == 0x02) {
      v4 = Arrays.copyOfRange(b, 2, 6);
    }
    if (v4 == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByAddress(v4));
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // four bytes are always an address
    }
  }

  private static boolean allZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  static boolean isCloudMetadata(InetAddress address) {
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      return (b[0] & 0xff) == 169 && (b[1] & 0xff) == 254; // all of 169.254/16
    }
    // fd00:ec2::254 (AWS IMDS over IPv6)
    byte[] imds = {(byte) 0xfd, 0, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54};
    return Arrays.equals(b, imds);
  }

  /** 240.0.0.0/4, which holds the limited broadcast address 255.255.255.255. */
  static boolean isReserved(InetAddress address) {
    return address instanceof Inet4Address && (address.getAddress()[0] & 0xf0) == 0xf0;
  }

  static boolean isPrivate(InetAddress address) {
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      int a0 = b[0] & 0xff;
      int a1 = b[1] & 0xff;
      return a0 == 10
          || (a0 == 172 && a1 >= 16 && a1 <= 31)
          || (a0 == 192 && a1 == 168)
          || (a0 == 100 && a1 >= 64 && a1 <= 127) // carrier-grade NAT, 100.64/10
          || (a0 == 198 && (a1 == 18 || a1 == 19)) // benchmarking, 198.18/15
          || a0 == 0; // "this network", 0/8
    }
    return address instanceof Inet6Address
        && ((b[0] & 0xfe) == 0xfc // unique local, fc00::/7
            || address.isSiteLocalAddress()); // deprecated fec0::/10
  }

  /** Whether {@code host} is an IP literal (no DNS involved). */
  public static boolean isLiteral(String host) {
    return host.contains(":") || host.matches("[0-9.]+");
  }
}
