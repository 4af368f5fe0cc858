package dev.herald.targets;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The HTTP proxy that outbound HTTP of targets (webhook, chat, OAuth token URLs) passes through,
 * for networks whose outbound traffic must pass one: {@code HERALD_EGRESS_PROXY} and {@code
 * HERALD_EGRESS_PROXY_EXCLUDE}.
 *
 * <p>The destination is still resolved and checked by the outbound rules first, and the proxy is
 * handed the checked address (https: {@code CONNECT address:port}; http: an absolute-form request
 * to {@code http://address:port/...} with the URL's {@code Host}), so the proxy cannot be used to
 * reach an address the rules refuse, nor be led elsewhere by a second DNS answer. The proxy's own
 * address is the operator's choice and is not checked.
 *
 * @param host the proxy's host name or address
 * @param port the proxy's port
 * @param credentials {@code user:password} for Basic proxy authentication, a secret: never in
 *     {@link #toString()}, logs or messages
 * @param excludedHosts host names (as written in URLs, lower case) that go direct
 * @param excludedDomains domain suffixes ({@code .corp.example}) whose names, and the domain
 *     itself, go direct
 * @param excludedNetworks address ranges whose (checked) addresses go direct
 *     <p>Immutable.
 */
public record EgressProxy(
    String host,
    int port,
    Optional<String> credentials,
    Set<String> excludedHosts,
    List<String> excludedDomains,
    List<OutboundRules.Network> excludedNetworks) {

  public static final String SETTING = "HERALD_EGRESS_PROXY";
  public static final String EXCLUDE_SETTING = "HERALD_EGRESS_PROXY_EXCLUDE";

  private static final Pattern HOST_NAME =
      Pattern.compile(
          "(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
  private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+");

  public EgressProxy {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(SETTING + " port must be 1..65535");
    }
    excludedHosts = Set.copyOf(excludedHosts);
    excludedDomains = List.copyOf(excludedDomains);
    excludedNetworks = List.copyOf(excludedNetworks);
  }

  /** A proxy that every destination goes through (apart from loopback, see {@link #direct}). */
  public static EgressProxy of(String host, int port, Optional<String> credentials) {
    return new EgressProxy(host, port, credentials, Set.of(), List.of(), List.of());
  }

  /**
   * Reads {@code HERALD_EGRESS_PROXY} ({@code http://[user:password@]host:port}) and {@code
   * HERALD_EGRESS_PROXY_EXCLUDE} (comma-separated host names, {@code .domain} suffixes, addresses
   * and CIDRs) from {@code env}.
   *
   * @return empty when no proxy is set
   * @throws IllegalArgumentException naming the setting (and never repeating the password)
   */
  public static Optional<EgressProxy> fromEnv(Map<String, String> env) {
    String proxy = env.getOrDefault(SETTING, "").strip();
    String exclude = env.getOrDefault(EXCLUDE_SETTING, "");
    if (proxy.isEmpty()) {
      if (!exclude.isBlank()) {
        throw new IllegalArgumentException(
            EXCLUDE_SETTING + " is set but " + SETTING + " is not: nothing to exclude from");
      }
      return Optional.empty();
    }
    EgressProxy parsed = parseUrl(proxy);
    return Optional.of(parsed.excluding(exclude));
  }

  private static EgressProxy parseUrl(String value) {
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw bad("is not a URL (expected http://[user:password@]host:port)");
    }
    if (!"http".equalsIgnoreCase(uri.getScheme())) {
      throw bad(
          "must start with http:// (the connection to the proxy is plain HTTP; https targets are"
              + " tunnelled through it with CONNECT)");
    }
    if (uri.getHost() == null) {
      throw bad("has no host (expected http://[user:password@]host:port)");
    }
    if (uri.getPort() == -1) {
      throw bad("has no port (expected http://[user:password@]host:port, e.g. :3128)");
    }
    boolean path = uri.getRawPath() != null && !uri.getRawPath().isEmpty();
    if ((path && !uri.getRawPath().equals("/"))
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw bad("must not have a path, query or fragment");
    }
    Optional<String> credentials = Optional.empty();
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      if (colon <= 0) {
        throw bad("user info must be user:password (percent-encoded)");
      }
      String user = decode(userInfo.substring(0, colon));
      String password = decode(userInfo.substring(colon + 1));
      if (user.contains(":") || !printable(user) || !printable(password)) {
        throw bad("user or password holds a control character, or the user a colon");
      }
      credentials = Optional.of(user + ":" + password);
    }
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return of(host, uri.getPort(), credentials);
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), UTF_8);
    } catch (IllegalArgumentException e) {
      throw bad("user info has a bad percent-encoding");
    }
  }

  private static boolean printable(String s) {
    return s.chars().noneMatch(Character::isISOControl);
  }

  private EgressProxy excluding(String list) {
    Set<String> hosts = new LinkedHashSet<>();
    List<String> domains = new ArrayList<>();
    List<OutboundRules.Network> networks = new ArrayList<>();
    if (list.isBlank()) {
      return this;
    }
    for (String raw : list.split(",", -1)) {
      String entry = raw.strip().toLowerCase(Locale.ROOT);
      if (entry.isEmpty()) {
        throw new IllegalArgumentException(
            EXCLUDE_SETTING + " has an empty entry (two commas, or a trailing comma)");
      }
      String suffix = entry.startsWith("*.") ? entry.substring(1) : entry;
      if (entry.contains("/") || (LITERAL.matcher(entry).matches() && isAddress(entry))) {
        networks.add(OutboundRules.Network.parse(entry, EXCLUDE_SETTING));
      } else if (suffix.startsWith(".") && isName(suffix.substring(1))) {
        domains.add(suffix);
      } else if (isName(entry)) {
        hosts.add(entry);
      } else {
        throw new IllegalArgumentException(
            EXCLUDE_SETTING
                + " entry '"
                + entry
                + "' is neither a host name, a domain (.corp.example), an IP address nor a CIDR");
      }
    }
    return new EgressProxy(host, port, credentials, hosts, domains, networks);
  }

  private static boolean isName(String s) {
    return HOST_NAME.matcher(s).matches() && s.length() <= 253 && !s.matches("[0-9.]+");
  }

  private static boolean isAddress(String entry) {
    return entry.contains(":") || entry.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
  }

  private static IllegalArgumentException bad(String why) {
    return new IllegalArgumentException(SETTING + " " + why);
  }

  /**
   * Whether a request to {@code host} (as written in the URL), checked to go to {@code address},
   * goes direct rather than through the proxy: when excluded, and for loopback addresses unless the
   * proxy is on loopback too (another machine's loopback is not the one that was checked).
   */
  public boolean direct(String host, InetAddress address, boolean proxyOnLoopback) {
    String name = host.toLowerCase(Locale.ROOT);
    if (address.isLoopbackAddress() && !proxyOnLoopback) {
      return true;
    }
    if (excludedHosts.contains(name)) {
      return true;
    }
    for (String domain : excludedDomains) {
      if (name.endsWith(domain) || name.equals(domain.substring(1))) {
        return true;
      }
    }
    for (OutboundRules.Network network : excludedNetworks) {
      if (network.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** The {@code Proxy-Authorization} header value, when the proxy takes credentials. */
  public Optional<String> authorization() {
    return credentials.map(c -> "Basic " + Base64.getEncoder().encodeToString(c.getBytes(UTF_8)));
  }

  /** {@code host:port}, for messages: never the credentials. */
  public String describe() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** Without the credentials: this record may end up in a log line. */
  @Override
  public String toString() {
    return "EgressProxy["
        + describe()
        + (credentials.isPresent() ? ", with credentials" : "")
        + ", excluded hosts "
        + excludedHosts
        + ", domains "
        + excludedDomains
        + ", networks "
        + excludedNetworks
        + "]";
  }
}
