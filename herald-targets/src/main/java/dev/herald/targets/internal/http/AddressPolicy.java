package dev.herald.targets.internal.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which addresses outbound requests may go to. Link-local (169.254/16, fe80::/10, which hold the
 * cloud metadata endpoints 169.254.169.254 and fd00:ec2::254), unspecified and multicast addresses
 * are always refused; private ranges (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7) and
 * loopback only for host names on the allow-list, and loopback also while Herald itself is bound to
 * loopback. A name is refused if any of its addresses is.
 *
 * <p>Thread-safety: immutable.
 */
public final class AddressPolicy {
  private final boolean loopbackAllowed;
  private final Set<String> allowedHosts;

  public AddressPolicy(boolean loopbackAllowed, Set<String> allowedHosts) {
    this.loopbackAllowed = loopbackAllowed;
    this.allowedHosts = allowedHosts;
  }

  /** The host of a URL (or a literal address) was refused. */
  public static final class Forbidden extends Exception {
    private static final long serialVersionUID = 1L;

    Forbidden(String message) {
      super(message);
    }
  }

  /**
   * Resolves {@code host} and returns the address to connect to.
   *
   * @throws Forbidden if any address of the host is refused
   * @throws UnknownHostException if the name does not resolve
   */
  public InetAddress resolve(String host) throws Forbidden, UnknownHostException {
    InetAddress[] addresses = InetAddress.getAllByName(host);
    boolean listed = allowedHosts.contains(host.toLowerCase(Locale.ROOT));
    for (InetAddress address : addresses) {
      Optional<String> reason = refusal(address, listed);
      if (reason.isPresent()) {
        throw new Forbidden(
            host + " resolves to " + address.getHostAddress() + ", " + reason.get());
      }
    }
    return addresses[0];
  }

  /**
   * Whether plain (unencrypted) HTTP may be used to {@code host}: when it is on the allow-list, or
   * while Herald is bound to loopback and every address of the host is a loopback address. Only
   * names that may pass are resolved; a name that does not resolve may not.
   */
  public boolean allowsPlainHttp(String host) {
    if (allowedHosts.contains(host.toLowerCase(Locale.ROOT))) {
      return true;
    }
    if (!loopbackAllowed) {
      return false;
    }
    try {
      for (InetAddress address : InetAddress.getAllByName(host)) {
        if (!address.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private Optional<String> refusal(InetAddress address, boolean listed) {
    if (address.isAnyLocalAddress()) {
      return Optional.of("an unspecified address");
    }
    if (address.isMulticastAddress()) {
      return Optional.of("a multicast address");
    }
    if (address.isLinkLocalAddress() || isCloudMetadata(address)) {
      return Optional.of("a link-local or cloud metadata address");
    }
    if (address.isLoopbackAddress()) {
      return loopbackAllowed || listed
          ? Optional.empty()
          : Optional.of("a loopback address (allowed only while Herald is bound to loopback)");
    }
    if (isPrivate(address)) {
      return listed ? Optional.empty() : Optional.of("a private address");
    }
    return Optional.empty();
  }

  static boolean isCloudMetadata(InetAddress address) {
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      return (b[0] & 0xff) == 169 && (b[1] & 0xff) == 254; // all of 169.254/16
    }
    // fd00:ec2::254 (AWS IMDS over IPv6)
    byte[] imds = {(byte) 0xfd, 0, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54};
    return java.util.Arrays.equals(b, imds);
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
          || a0 == 0; // "this network", 0/8
    }
    return address instanceof Inet6Address
        && ((b[0] & 0xfe) == 0xfc // unique local, fc00::/7
            || address.isSiteLocalAddress()); // deprecated fec0::/10
  }

  /** Whether {@code host} is an IP literal (no DNS involved). */
  static boolean isLiteral(String host) {
    return host.contains(":") || host.matches("[0-9.]+");
  }
}
