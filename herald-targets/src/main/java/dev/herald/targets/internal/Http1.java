package dev.herald.targets.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A minimal HTTP/1.1 client that connects to an address the caller has already checked, so that
 * what was checked is what is connected to (no second DNS lookup). For https the TLS session is
 * verified against the URL's host name (SNI and endpoint identification), not the address. One
 * request per connection ({@code Connection: close}); redirects are never followed.
 *
 * <p>Thread-safety: immutable; each {@link #exchange} owns its socket and runs on the caller's
 * thread, plus one virtual watchdog thread that closes the socket when the deadline passes.
 */
final class Http1 {
  private static final int MAX_LINE = 16 * 1024;
  private static final int MAX_HEADERS = 200;

  /** A request to {@code uri}, sent to {@code address}. Headers are name-value pairs. */
  record Request(
      String method,
      URI uri,
      InetAddress address,
      List<Map.Entry<String, String>> headers,
      byte[] body) {}

  /** A final (non-1xx) response; header names are lower-case; the body is truncated at the cap. */
  record Response(int status, Map<String, List<String>> headers, byte[] body) {
    Optional<String> header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    String bodyExcerpt() {
      String text = new String(body, 0, Math.min(body.length, 200), UTF_8);
      return text.replaceAll("\\p{Cntrl}", " ").strip();
    }
  }

  /** The deadline passed before the exchange finished. */
  static final class DeadlineExceeded extends IOException {
    private static final long serialVersionUID = 1L;

    DeadlineExceeded(Throwable cause) {
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

  private final InstantSource clock;
  private final Duration connectTimeout;
  private final int maxBody;

  Http1(InstantSource clock, Duration connectTimeout, int maxBody) {
    this.clock = clock;
    this.connectTimeout = connectTimeout;
    this.maxBody = maxBody;
  }

  /**
   * Sends the request and reads the response head and (up to the cap) its body.
   *
   * @throws DeadlineExceeded if {@code deadline} passed first
   * @throws ConnectFailed if no connection could be made
   * @throws IOException if the connection broke or the response was not HTTP/1.x
   */
  Response exchange(Request request, Instant deadline) throws IOException {
    Duration remaining = Duration.between(clock.instant(), deadline);
    if (remaining.isNegative() || remaining.isZero()) {
      throw new DeadlineExceeded(null);
    }
    Socket raw = new Socket();
    AtomicBoolean expired = new AtomicBoolean();
    Thread watchdog =
        Thread.ofVirtual()
            .name("herald-http-deadline")
            .start(
                () -> {
                  try {
                    Thread.sleep(remaining);
                    expired.set(true);
                    closeQuietly(raw);
                  } catch (InterruptedException finishedInTime) {
                    // the exchange ended before the deadline
                  }
                });
    Socket socket = raw;
    try {
      socket = connect(raw, request, remaining);
      write(socket.getOutputStream(), request);
      return read(new BufferedInputStream(socket.getInputStream()), request.method());
    } catch (IOException e) {
      if (expired.get()) {
        throw new DeadlineExceeded(e);
      }
      throw e;
    } finally {
      watchdog.interrupt();
      closeQuietly(socket);
      closeQuietly(raw);
    }
  }

  private Socket connect(Socket raw, Request request, Duration remaining) throws IOException {
    URI uri = request.uri();
    boolean tls = "https".equalsIgnoreCase(uri.getScheme());
    int port = uri.getPort() != -1 ? uri.getPort() : tls ? 443 : 80;
    long ms = Math.max(1, Math.min(connectTimeout.toMillis(), remaining.toMillis()));
    try {
      raw.connect(new InetSocketAddress(request.address(), port), (int) ms);
      raw.setTcpNoDelay(true);
      if (!tls) {
        return raw;
      }
      String host = bareHost(uri);
      SSLSocket ssl =
          (SSLSocket)
              ((SSLSocketFactory) SSLSocketFactory.getDefault())
                  .createSocket(raw, host, port, true);
      SSLParameters params = ssl.getSSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      if (!AddressPolicy.isLiteral(host)) {
        params.setServerNames(List.of(new SNIHostName(host)));
      }
      ssl.setSSLParameters(params);
      ssl.startHandshake();
      return ssl;
    } catch (IOException e) {
      throw new ConnectFailed(
          "cannot connect to " + request.address().getHostAddress() + ":" + port + ": " + e, e);
    }
  }

  private static void write(OutputStream socketOut, Request request) throws IOException {
    URI uri = request.uri();
    StringBuilder head = new StringBuilder(256);
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    head.append(request.method()).append(' ').append(path);
    if (uri.getRawQuery() != null) {
      head.append('?').append(uri.getRawQuery());
    }
    head.append(" HTTP/1.1\r\n");
    appendHeader(head, "Host", uri.getRawAuthority().replaceFirst("^.*@", ""));
    for (Map.Entry<String, String> h : request.headers()) {
      appendHeader(head, h.getKey(), h.getValue());
    }
    appendHeader(head, "Content-Length", Integer.toString(request.body().length));
    appendHeader(head, "Connection", "close");
    head.append("\r\n");
    OutputStream out = new BufferedOutputStream(socketOut, 8192);
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

  private Response read(InputStream in, String method) throws IOException {
    while (true) {
      String statusLine = line(in);
      int status = parseStatus(statusLine);
      Map<String, List<String>> headers = headers(in);
      if (status < 200) {
        continue; // an interim response (100 Continue, 103 Early Hints)
      }
      boolean noBody = method.equals("HEAD") || status == 204 || status == 304;
      byte[] body = noBody ? new byte[0] : body(in, headers);
      return new Response(status, headers, body);
    }
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
      String line = line(in);
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

  private byte[] body(InputStream in, Map<String, List<String>> headers) throws IOException {
    List<String> te = headers.getOrDefault("transfer-encoding", List.of());
    if (te.stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))) {
      return chunked(in);
    }
    List<String> length = headers.getOrDefault("content-length", List.of());
    if (!length.isEmpty()) {
      long n;
      try {
        n = Long.parseLong(length.get(0));
      } catch (NumberFormatException e) {
        throw new IOException("bad Content-Length: " + truncate(length.get(0)), e);
      }
      return in.readNBytes((int) Math.min(n, maxBody));
    }
    return in.readNBytes(maxBody);
  }

  private byte[] chunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (body.size() < maxBody) {
      String sizeLine = line(in);
      int semicolon = sizeLine.indexOf(';');
      String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip();
      long size;
      try {
        size = Long.parseLong(hex, 16);
      } catch (NumberFormatException e) {
        throw new IOException("bad chunk size: " + truncate(sizeLine), e);
      }
      if (size == 0) {
        break;
      }
      int keep = (int) Math.min(size, maxBody - body.size());
      body.write(in.readNBytes(keep));
      if (keep < size) {
        break; // over the cap: the rest is not needed, the connection is closed anyway
      }
      line(in); // the CRLF after the chunk
    }
    return body.toByteArray();
  }

  /** Reads one CRLF- (or LF-) terminated line as ISO-8859-1, without the terminator. */
  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    while (true) {
      int b = in.read();
      if (b == -1) {
        throw new IOException("connection closed in the response head");
      }
      if (b == '\n') {
        break;
      }
      if (line.size() >= MAX_LINE) {
        throw new IOException("response line longer than " + MAX_LINE + " bytes");
      }
      line.write(b);
    }
    String s = line.toString(ISO_8859_1);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  static String bareHost(URI uri) {
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
