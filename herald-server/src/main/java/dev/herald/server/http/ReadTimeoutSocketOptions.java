package dev.herald.server.http;

import io.helidon.common.socket.SocketOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Helidon's default socket options plus a read timeout ({@code SO_TIMEOUT}) on every accepted
 * connection: Helidon reads requests through the socket's blocking stream, so a read that waits
 * longer than the timeout for a byte fails and Helidon closes the connection. Helidon's own {@code
 * readTimeout} is a client setting the server does not apply. Immutable.
 */
final class ReadTimeoutSocketOptions implements SocketOptions {
  private final SocketOptions defaults = SocketOptions.create();
  private final int timeoutMillis;

  ReadTimeoutSocketOptions(Duration timeout) {
    this.timeoutMillis = Math.toIntExact(timeout.toMillis());
  }

  @Override
  public void configureSocket(SocketChannel channel) {
    defaults.configureSocket(channel);
    setTimeout(channel.socket());
  }

  @Override
  public void configureSocket(Socket socket) {
    defaults.configureSocket(socket);
    setTimeout(socket);
  }

  private void setTimeout(Socket socket) {
    try {
      socket.setSoTimeout(timeoutMillis);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Map<SocketOption<?>, Object> socketOptions() {
    return defaults.socketOptions();
  }

  @Override
  public Duration connectTimeout() {
    return defaults.connectTimeout();
  }

  @Override
  public Duration readTimeout() {
    return Duration.ofMillis(timeoutMillis);
  }

  @Override
  public Optional<Integer> socketReceiveBufferSize() {
    return defaults.socketReceiveBufferSize();
  }

  @Override
  public Optional<Integer> socketSendBufferSize() {
    return defaults.socketSendBufferSize();
  }

  @Override
  public boolean socketReuseAddress() {
    return defaults.socketReuseAddress();
  }

  @Override
  public boolean socketKeepAlive() {
    return defaults.socketKeepAlive();
  }

  @Override
  public boolean tcpNoDelay() {
    return defaults.tcpNoDelay();
  }
}
