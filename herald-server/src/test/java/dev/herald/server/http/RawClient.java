package dev.herald.server.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A raw HTTP/1.1 connection for tests that need what an ordinary client never does: partial
 * requests, bad chunking, old protocol versions. Reads answers by hand. Not thread-safe.
 */
final class RawClient implements AutoCloseable {
  /** A generous bound on any single wait; tests never assert timings closer than this. */
  static final int PATIENCE_MILLIS = 30_000;

  private final Socket socket;
  private final InputStream in;

  RawClient(int port) {
    try {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(PATIENCE_MILLIS);
      in = socket.getInputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A status line, headers (lower-case names) and body. */
  record Answer(int status, String head, String body) {
    String header(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }
  }

  RawClient send(String text) {
    try {
      socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void timeout(int millis) {
    try {
      socket.setSoTimeout(millis);
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads one answer (with a Content-Length or chunked body). */
  Answer read() {
    try {
      String head = readHead();
      int status = Integer.parseInt(head.substring(9, 12));
      String body = "";
      Answer partial = new Answer(status, head, "");
      String length = partial.header("content-length");
      if (length != null) {
        body = new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
      } else if ("chunked".equalsIgnoreCase(partial.header("transfer-encoding"))) {
        body = readChunked();
      }
      return new Answer(status, head, body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Whether the server closed the connection: the next read sees the end of the stream (or a reset)
   * after any answer it sent first, within {@link #PATIENCE_MILLIS}.
   */
  boolean closedByServer() {
    try {
      while (in.read() != -1) {
        // an answer sent before closing (e.g. a 408 or 400) is allowed
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  private String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b == -1) {
        throw new IOException("connection closed after " + head.size() + " bytes: " + head);
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private String readChunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = readLine();
      int n = Integer.parseInt(size.split(";")[0].trim().toLowerCase(Locale.ROOT), 16);
      if (n == 0) {
        readLine();
        return body.toString(StandardCharsets.UTF_8);
      }
      body.write(in.readNBytes(n));
      readLine();
    }
  }

  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b; (b = in.read()) != '\n'; ) {
      if (b == -1) {
        throw new IOException("connection closed in a chunk");
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
