package dev.herald.targets.internal.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.NANOSECONDS;

import dev.herald.targets.EgressProxy;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A minimal HTTP/1.1 client that connects to an address the caller has already checked, so that
 * what was checked is what is connected to (no second DNS lookup). For https the TLS session is
 * verified against the URL's host name (SNI and endpoint identification), not the address.
 * Redirects are never followed.
 *
 * <p>Connections are kept alive and reused per route (checked address, port, TLS host): a response
 * read to its end on a connection the server did not close goes back to an idle pool, most recently
 * used first, and is dropped after {@link #KEEP_ALIVE} idle. A reused connection that fails before
 * the first byte of the response (the server closed it while idle) is replaced by a fresh one once;
 * the receiver may then see the request twice if it had processed it, which the delivery key
 * ({@code webhook-id}) lets it drop.
 *
 * <p>With an {@link EgressProxy}, a destination that is not excluded is reached through it, at the
 * address that was checked: https by a {@code CONNECT address:port} tunnel (TLS, SNI and the host
 * name check run inside it, end to end), http by an absolute-form request to {@code
 * http://address:port/...} carrying the URL's {@code Host}. The proxy's credentials go only to the
 * proxy ({@code Proxy-Authorization} on the CONNECT, or on each plain http request). A proxy that
 * refuses (a non-2xx answer to CONNECT, a 407 to a plain request) is a {@link ProxyRefused}.
 *
 * <p>Thread-safety: the idle pool is a concurrent map of concurrent deques; a connection is owned
 * by one {@link #exchange} at a time (taken out of the pool while in use). Deadlines are enforced
 * by one shared scheduler thread that closes the socket of an exchange that outlives its deadline.
 */
public final class Http1 implements AutoCloseable {
  private static final int MAX_LINE = 16 * 1024;
  private static final int MAX_HEADERS = 200;
  private static final int MAX_IDLE_PER_ROUTE = 256;
  static final Duration KEEP_ALIVE = Duration.ofSeconds(4);
  private static final ScheduledThreadPoolExecutor DEADLINES = deadlineScheduler();
  private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

  /** A request to {@code uri}, sent to {@code address}. Headers are name-value pairs. */
  public record Request(
      String method,
      URI uri,
      InetAddress address,
      List<Map.Entry<String, String>> headers,
      byte[] body) {}

  /** A final (non-1xx) response; header names are lower-case; the body is truncated at the cap. */
  public record Response(int status, Map<String, List<String>> headers, byte[] body) {
    Optional<String> header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    String bodyExcerpt() {
      String text = new String(body, 0, Math.min(body.length, 200), UTF_8);
      return CONTROL.matcher(text).replaceAll(" ").strip();
    }
  }

  /** The deadline passed before the exchange finished. */
  public static final class DeadlineExceeded extends IOException {
    private static final long serialVersionUID = 1L;

    public DeadlineExceeded(Throwable cause) {
      super("deadline passed", cause);
    }
  }

  /** No connection (TCP or TLS) could be established. */
  static final class ConnectFailed extends IOException {
    private static final long serialVersionUID = 1L;

    ConnectFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The egress proxy refused to carry a request: it answered CONNECT with a non-2xx, or 407. */
  public static final class ProxyRefused extends IOException {
    private static final long serialVersionUID = 1L;

    ProxyRefused(String message) {
      super(message);
    }
  }

  /**
   * Where a connection goes: the checked address, the port, the TLS host (null for http), and the
   * address of the egress proxy it passes through (null when direct).
   */
  private record Route(InetAddress address, int port, String tlsHost, InetAddress proxy) {
    /** {@code address:port} as a CONNECT target or the authority of an absolute-form request. */
    String target() {
      String literal = address.getHostAddress();
      int scope = literal.indexOf('%');
      literal = scope < 0 ? literal : literal.substring(0, scope);
      return (literal.contains(":") ? "[" + literal + "]" : literal) + ":" + port;
    }
  }

  /** One open connection and the state of the exchange running on it. */
  private static final class Connection {
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    long idleSinceNanos;
    volatile boolean expired;
    boolean responseStarted;
    boolean reusable;

    Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new BufferedInputStream(socket.getInputStream(), 8192);
      this.out = new BufferedOutputStream(socket.getOutputStream(), 8192);
    }

    void expire() {
      expired = true;
      closeQuietly(socket);
    }
  }

  private final InstantSource clock;
  private final Duration connectTimeout;
  private final int maxBody;
  private final SSLSocketFactory tls;
  private final Optional<EgressProxy> proxy;
  private final ConcurrentHashMap<Route, Deque<Connection>> idle = new ConcurrentHashMap<>();

  Http1(InstantSource clock, Duration connectTimeout, int maxBody) {
    this(
        clock,
        connectTimeout,
        maxBody,
        (SSLSocketFactory) SSLSocketFactory.getDefault(),
        Optional.empty());
  }

  /**
   * @param tls makes the TLS sockets of https routes: the JDK's trusted authorities by default, or
   *     a target's own authorities and client certificate
   * @param proxy the egress proxy to pass through, if any
   */
  Http1(
      InstantSource clock,
      Duration connectTimeout,
      int maxBody,
      SSLSocketFactory tls,
      Optional<EgressProxy> proxy) {
    this.clock = clock;
    this.connectTimeout = connectTimeout;
    this.maxBody = maxBody;
    this.tls = tls;
    this.proxy = proxy;
  }

  /** The route of {@code request}: through the proxy unless it is excluded or there is none. */
  private Route route(Request request) throws IOException {
    URI uri = request.uri();
    boolean https = "https".equalsIgnoreCase(uri.getScheme());
    int port = uri.getPort() != -1 ? uri.getPort() : https ? 443 : 80;
    String host = bareHost(uri);
    InetAddress via = null;
    if (proxy.isPresent()) {
      InetAddress proxyAddress = proxyAddress(proxy.get());
      if (!proxy.get().direct(host, request.address(), proxyAddress.isLoopbackAddress())) {
        via = proxyAddress;
      }
    }
    return new Route(request.address(), port, https ? host : null, via);
  }

  /** The proxy's address: the operator's choice, not subject to the outbound rules. */
  private static InetAddress proxyAddress(EgressProxy proxy) throws ConnectFailed {
    try {
      return InetAddress.getByName(proxy.host());
    } catch (java.net.UnknownHostException e) {
      throw new ConnectFailed("cannot resolve egress proxy " + proxy.describe(), e);
    }
  }

  /**
   * Sends the request and reads the response head and (up to the cap) its body, on an idle
   * connection to the same route if there is one.
   *
   * @throws DeadlineExceeded if {@code deadline} passed first
   * @throws ConnectFailed if no connection could be made
   * @throws IOException if the connection broke or the response was not HTTP/1.x
   */
  public Response exchange(Request request, Instant deadline) throws IOException {
    Route route = route(request);
    Connection pooled = takeIdle(route);
    if (pooled != null) {
      try {
        return exchange(pooled, route, request, deadline);
      } catch (IOException e) {
        if (pooled.expired || pooled.responseStarted) {
          throw e;
        }
        // closed by the server while idle: try once on a fresh connection
      }
    }
    Duration remaining = remaining(deadline);
    return exchange(open(route, remaining), route, request, deadline);
  }

  private Response exchange(Connection conn, Route route, Request request, Instant deadline)
      throws IOException {
    Duration remaining = remaining(deadline);
    ScheduledFuture<?> timer = DEADLINES.schedule(conn::expire, remaining.toNanos(), NANOSECONDS);
    try {
      write(conn.out, request, route.proxy() != null && route.tlsHost() == null ? route : null);
      Response response = read(conn, request.method());
      if (route.proxy() != null && response.status() == 407) {
        throw new ProxyRefused(
            "egress proxy "
                + proxy.orElseThrow().describe()
                + " refused "
                + request.method()
                + " http://"
                + route.target()
                + ": 407 (proxy authentication "
                + (proxy.orElseThrow().credentials().isPresent() ? "failed" : "required")
                + ")");
      }
      timer.cancel(false);
      if (conn.reusable && !conn.expired) {
        release(route, conn);
      } else {
        closeQuietly(conn.socket);
      }
      return response;
    } catch (IOException | RuntimeException e) {
      timer.cancel(false);
      closeQuietly(conn.socket);
      if (conn.expired) {
        throw new DeadlineExceeded(e);
      }
      throw e;
    }
  }

  private Duration remaining(Instant deadline) throws DeadlineExceeded {
    Duration remaining = Duration.between(clock.instant(), deadline);
    if (remaining.isNegative() || remaining.isZero()) {
      throw new DeadlineExceeded(null);
    }
    return remaining;
  }

  private Connection takeIdle(Route route) {
    Deque<Connection> connections = idle.get(route);
    if (connections == null) {
      return null;
    }
    long now = System.nanoTime();
    for (Connection conn; (conn = connections.pollFirst()) != null; ) {
      if (now - conn.idleSinceNanos < KEEP_ALIVE.toNanos() && !conn.socket.isClosed()) {
        conn.responseStarted = false;
        conn.reusable = false;
        return conn;
      }
      closeQuietly(conn.socket);
    }
    return null;
  }

  private void release(Route route, Connection conn) {
    Deque<Connection> connections = idle.computeIfAbsent(route, r -> new ConcurrentLinkedDeque<>());
    long now = System.nanoTime();
    conn.idleSinceNanos = now;
    connections.offerFirst(conn);
    Connection oldest = connections.peekLast();
    if ((oldest != null && now - oldest.idleSinceNanos >= KEEP_ALIVE.toNanos())
        || connections.size() > MAX_IDLE_PER_ROUTE) {
      Connection dropped = connections.pollLast();
      if (dropped != null) {
        closeQuietly(dropped.socket);
      }
    }
  }

  /** Closes every idle connection; exchanges in progress finish on their own connections. */
  @Override
  public void close() {
    for (Deque<Connection> connections : idle.values()) {
      for (Connection conn; (conn = connections.pollFirst()) != null; ) {
        closeQuietly(conn.socket);
      }
    }
  }

  private Connection open(Route route, Duration remaining) throws IOException {
    long ms = Math.max(1, Math.min(connectTimeout.toMillis(), remaining.toMillis()));
    Socket raw = new Socket();
    if (route.proxy() != null) {
      EgressProxy via = proxy.orElseThrow();
      try {
        raw.connect(new InetSocketAddress(route.proxy(), via.port()), (int) ms);
      } catch (IOException e) {
        closeQuietly(raw);
        throw new ConnectFailed("cannot connect to egress proxy " + via.describe() + ": " + e, e);
      }
    }
    try {
      if (route.proxy() == null) {
        raw.connect(new InetSocketAddress(route.address(), route.port()), (int) ms);
      }
      raw.setTcpNoDelay(true);
      if (route.tlsHost() == null) {
        return new Connection(raw);
      }
      if (route.proxy() != null) {
        tunnel(raw, route, (int) ms);
      }
      SSLSocket ssl = (SSLSocket) tls.createSocket(raw, route.tlsHost(), route.port(), true);
      SSLParameters params = ssl.getSSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      if (!AddressPolicy.isLiteral(route.tlsHost())) {
        params.setServerNames(List.of(new SNIHostName(route.tlsHost())));
      }
      ssl.setSSLParameters(params);
      ssl.setSoTimeout((int) ms);
      ssl.startHandshake();
      ssl.setSoTimeout(0);
      return new Connection(ssl);
    } catch (ProxyRefused e) {
      closeQuietly(raw);
      throw e;
    } catch (IOException e) {
      closeQuietly(raw);
      String through =
          route.proxy() == null ? "" : " through egress proxy " + proxy.orElseThrow().describe();
      throw new ConnectFailed("cannot connect to " + route.target() + through + ": " + e, e);
    }
  }

  /**
   * Asks the proxy on {@code raw} for a tunnel to the route's checked address ({@code CONNECT}),
   * reading its answer byte by byte so that nothing after it is consumed.
   */
  private void tunnel(Socket raw, Route route, int timeoutMs) throws IOException {
    EgressProxy via = proxy.orElseThrow();
    StringBuilder head = new StringBuilder(128);
    head.append("CONNECT ").append(route.target()).append(" HTTP/1.1\r\n");
    appendHeader(head, "Host", route.target());
    via.authorization().ifPresent(a -> appendHeader(head, "Proxy-Authorization", a));
    head.append("\r\n");
    raw.setSoTimeout(timeoutMs);
    OutputStream out = raw.getOutputStream();
    out.write(head.toString().getBytes(ISO_8859_1));
    out.flush();
    InputStream in = raw.getInputStream();
    int first = in.read();
    if (first == -1) {
      throw new IOException("egress proxy " + via.describe() + " closed the connection at CONNECT");
    }
    String statusLine = line(in, first);
    int status = parseStatus(statusLine);
    headers(in);
    if (status / 100 != 2) {
      String[] parts = statusLine.split(" ", 3);
      String reason =
          parts.length == 3 ? " " + truncate(parts[2].replaceAll("\\p{Cntrl}", " ")) : "";
      throw new ProxyRefused(
          "egress proxy "
              + via.describe()
              + " refused CONNECT "
              + route.target()
              + ": "
              + status
              + reason);
    }
    raw.setSoTimeout(0);
  }

  private static ScheduledThreadPoolExecutor deadlineScheduler() {
    ScheduledThreadPoolExecutor scheduler =
        new ScheduledThreadPoolExecutor(
            1, Thread.ofPlatform().name("herald-http-deadlines").daemon().factory());
    scheduler.setRemoveOnCancelPolicy(true);
    return scheduler;
  }

  /**
   * Writes the request: in origin form, or in absolute form to the checked address with the proxy's
   * credentials when {@code proxied} (the route of a plain http request via the proxy).
   */
  private void write(OutputStream out, Request request, Route proxied) throws IOException {
    URI uri = request.uri();
    StringBuilder head = new StringBuilder(1024); // a webhook's signed head is 500-800 bytes
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    head.append(request.method()).append(' ');
    if (proxied != null) {
      head.append("http://").append(proxied.target());
    }
    head.append(path);
    if (uri.getRawQuery() != null) {
      head.append('?').append(uri.getRawQuery());
    }
    head.append(" HTTP/1.1\r\n");
    String authority = uri.getRawAuthority();
    appendHeader(head, "Host", authority.substring(authority.lastIndexOf('@') + 1)); // no userinfo
    if (proxied != null) {
      proxy
          .orElseThrow()
          .authorization()
          .ifPresent(a -> appendHeader(head, "Proxy-Authorization", a));
    }
    for (Map.Entry<String, String> h : request.headers()) {
      appendHeader(head, h.getKey(), h.getValue());
    }
    appendHeader(head, "Content-Length", Integer.toString(request.body().length));
    head.append("\r\n");
    out.write(head.toString().getBytes(UTF_8));
    out.write(request.body());
    out.flush();
  }

  private static void appendHeader(StringBuilder head, String name, String value) {
    if (!HeaderRules.isToken(name) || !HeaderRules.isValue(value)) {
      throw new IllegalArgumentException("invalid header " + name);
    }
    head.append(name).append(": ").append(value).append("\r\n");
  }

  /** Reads the response; marks the connection reusable only if it was read to its very end. */
  private Response read(Connection conn, String method) throws IOException {
    InputStream in = conn.in;
    int first = in.read();
    if (first == -1) {
      throw new IOException("connection closed before the response");
    }
    conn.responseStarted = true;
    String statusLine = line(in, first);
    while (true) {
      int status = parseStatus(statusLine);
      Map<String, List<String>> headers = headers(in);
      if (status < 200) {
        statusLine = line(in, in.read()); // an interim response (100 Continue, 103 Early Hints)
        continue;
      }
      boolean noBody = method.equals("HEAD") || status == 204 || status == 304;
      Body body = noBody ? new Body(new byte[0], true) : body(in, headers);
      conn.reusable = body.complete() && keepAlive(statusLine, headers);
      return new Response(status, headers, body.bytes());
    }
  }

  private static boolean keepAlive(String statusLine, Map<String, List<String>> headers) {
    boolean close =
        headers.getOrDefault("connection", List.of()).stream()
            .anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("close"));
    return statusLine.startsWith("HTTP/1.1 ") && !close;
  }

  private static int parseStatus(String line) throws IOException {
    String[] parts = line.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.x response: " + truncate(line));
    }
    try {
      int status = Integer.parseInt(parts[1]);
      if (status < 100 || status > 999) {
        throw new NumberFormatException();
      }
      return status;
    } catch (NumberFormatException e) {
      throw new IOException("bad status line: " + truncate(line), e);
    }
  }

  private static Map<String, List<String>> headers(InputStream in) throws IOException {
    Map<String, List<String>> headers = new TreeMap<>();
    for (int i = 0; i <= MAX_HEADERS; i++) {
      String line = line(in, in.read());
      if (line.isEmpty()) {
        return headers;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IOException("bad header line: " + truncate(line));
      }
      String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      headers.computeIfAbsent(name, k -> new ArrayList<>()).add(line.substring(colon + 1).strip());
    }
    throw new IOException("more than " + MAX_HEADERS + " response headers");
  }

  /** A response body up to the cap; {@code complete} when it was read to its end. */
  private record Body(byte[] bytes, boolean complete) {}

  private Body body(InputStream in, Map<String, List<String>> headers) throws IOException {
    List<String> te = headers.getOrDefault("transfer-encoding", List.of());
    if (te.stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))) {
      return chunked(in);
    }
    List<String> length = headers.getOrDefault("content-length", List.of());
    if (length.isEmpty()) {
      return new Body(in.readNBytes(maxBody), false); // ends when the server closes
    }
    long n;
    try {
      n = Long.parseLong(length.get(0));
    } catch (NumberFormatException e) {
      throw new IOException("bad Content-Length: " + truncate(length.get(0)), e);
    }
    byte[] bytes = in.readNBytes((int) Math.min(n, maxBody));
    return new Body(bytes, bytes.length == n);
  }

  private Body chunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = line(in, in.read());
      int semicolon = sizeLine.indexOf(';');
      String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip();
      long size;
      try {
        size = Long.parseLong(hex, 16);
      } catch (NumberFormatException e) {
        throw new IOException("bad chunk size: " + truncate(sizeLine), e);
      }
      if (size == 0) {
        while (!line(in, in.read()).isEmpty()) {
          // trailer fields: not needed
        }
        return new Body(body.toByteArray(), true);
      }
      if (size > maxBody - body.size()) {
        body.write(in.readNBytes(maxBody - body.size()));
        return new Body(body.toByteArray(), false); // over the cap: the connection is dropped
      }
      body.write(in.readNBytes((int) size));
      line(in, in.read()); // the CRLF after the chunk
    }
  }

  /**
   * Reads one CRLF- (or LF-) terminated line as ISO-8859-1, without the terminator, whose first
   * byte ({@code -1} at the end of the stream) was already read.
   */
  private static String line(InputStream in, int first) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    for (int b = first; b != '\n'; b = in.read()) {
      if (b == -1) {
        throw new IOException("connection closed in the response head");
      }
      if (line.size() >= MAX_LINE) {
        throw new IOException("response line longer than " + MAX_LINE + " bytes");
      }
      line.write(b);
    }
    String s = line.toString(ISO_8859_1);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  public static String bareHost(URI uri) {
    String host = uri.getHost();
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private static String truncate(String s) {
    return s.length() <= 100 ? s : s.substring(0, 100) + "...";
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }
}
