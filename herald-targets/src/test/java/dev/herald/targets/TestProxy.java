package dev.herald.targets;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP proxy on 127.0.0.1, as a company's egress proxy: {@code CONNECT host:port} tunnels
 * (for https) and absolute-form requests ({@code POST http://host:port/path}, for http), with
 * optional Basic authentication ({@code 407} without the right {@code Proxy-Authorization}), and a
 * switch that makes it refuse every CONNECT with a status of choice. It records every request it is
 * asked to carry, so tests can count what passed through it.
 *
 * <p>Thread-safety: one virtual thread per client connection (and one more per tunnel direction);
 * the records are a copy-on-write list; the settings are volatile.
 */
final class TestProxy implements AutoCloseable {
  /** One request to the proxy: CONNECT, or an absolute-form request; its Proxy-Authorization. */
  record Seen(String method, String target, String proxyAuthorization) {}

  private final ServerSocket server;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile Optional<String> credentials = Optional.empty();
  private volatile int refuseConnectWith = 0;

  TestProxy() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("test-proxy").start(this::accept);
  }

  /** Requires Basic authentication with {@code user:password}. */
  TestProxy requiring(String userAndPassword) {
    credentials = Optional.of(userAndPassword);
    return this;
  }

  /** Answers every CONNECT with {@code status} instead of tunnelling. */
  TestProxy refusingConnectWith(int status) {
    refuseConnectWith = status;
    return this;
  }

  int port() {
    return server.getLocalPort();
  }

  List<Seen> seen() {
    return List.copyOf(seen);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        sockets.add(client);
        Thread.ofVirtual().start(() -> serve(client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      InputStream in = new BufferedInputStream(client.getInputStream());
      OutputStream out = client.getOutputStream();
      String requestLine = line(in);
      if (requestLine == null) {
        return;
      }
      List<String> headers = new ArrayList<>();
      for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
        headers.add(h);
      }
      String[] parts = requestLine.split(" ");
      String auth = header(headers, "proxy-authorization");
      seen.add(new Seen(parts[0], parts[1], auth));
      if (credentials.isPresent()
          && !("Basic " + Base64.getEncoder().encodeToString(credentials.get().getBytes(UTF_8)))
              .equals(auth)) {
        answer(out, 407, "Proxy Authentication Required", "Proxy-Authenticate: Basic realm=t\r\n");
        return;
      }
      if (parts[0].equals("CONNECT")) {
        connect(parts[1], in, out);
      } else {
        forward(parts[0], URI.create(parts[1]), headers, in, out);
      }
    } catch (IOException e) {
      // the client or the upstream went away
    }
  }

  private void connect(String target, InputStream in, OutputStream out) throws IOException {
    if (refuseConnectWith != 0) {
      answer(out, refuseConnectWith, "Refused", "");
      return;
    }
    URI authority = URI.create("tcp://" + target);
    try (Socket upstream = new Socket(authority.getHost(), authority.getPort())) {
      sockets.add(upstream);
      out.write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(ISO_8859_1));
      out.flush();
      Thread pump =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      upstream.getInputStream().transferTo(out);
                    } catch (IOException e) {
                      // closed
                    }
                  });
      try {
        in.transferTo(upstream.getOutputStream());
      } catch (IOException e) {
        // closed
      }
      upstream.close();
      pump.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Sends one absolute-form request upstream in origin form and relays the answer, then closes. */
  private void forward(
      String method, URI uri, List<String> headers, InputStream in, OutputStream out)
      throws IOException {
    String length = header(headers, "content-length");
    byte[] body = in.readNBytes(length == null ? 0 : Integer.parseInt(length));
    try (Socket upstream = new Socket(uri.getHost(), uri.getPort())) {
      sockets.add(upstream);
      StringBuilder head = new StringBuilder();
      head.append(method).append(' ').append(uri.getRawPath());
      if (uri.getRawQuery() != null) {
        head.append('?').append(uri.getRawQuery());
      }
      head.append(" HTTP/1.1\r\n");
      for (String h : headers) {
        String name = h.substring(0, h.indexOf(':')).strip().toLowerCase(Locale.ROOT);
        if (!name.startsWith("proxy-") && !name.equals("connection")) {
          head.append(h).append("\r\n");
        }
      }
      head.append("Connection: close\r\n\r\n");
      OutputStream up = upstream.getOutputStream();
      up.write(head.toString().getBytes(ISO_8859_1));
      up.write(body);
      up.flush();
      upstream.getInputStream().transferTo(out);
      out.flush();
    }
  }

  private static void answer(OutputStream out, int status, String reason, String headers)
      throws IOException {
    String answer =
        "HTTP/1.1 "
            + status
            + " "
            + reason
            + "\r\n"
            + headers
            + "Content-Length: 0\r\nConnection: close\r\n\r\n";
    out.write(answer.getBytes(ISO_8859_1));
    out.flush();
  }

  private static String header(List<String> headers, String name) {
    for (String h : headers) {
      int colon = h.indexOf(':');
      if (colon > 0 && h.substring(0, colon).strip().equalsIgnoreCase(name)) {
        return h.substring(colon + 1).strip();
      }
    }
    return null;
  }

  /** One CRLF-terminated line without its terminator; null at the end of the stream. */
  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b == -1) {
        return line.size() == 0 ? null : line.toString(ISO_8859_1);
      }
      line.write(b);
    }
    String s = line.toString(ISO_8859_1);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
