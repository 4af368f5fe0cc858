package dev.herald.engine.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Picks free TCP ports on 127.0.0.1 by binding to port 0 and closing again. Another process may
 * take a port between the close and the broker's bind: callers retry on a bind error. Stateless.
 */
final class FreePorts {

  /** The broker's client listener and its controller listener; distinct. */
  record Pair(int broker, int controller) {}

  private FreePorts() {}

  static Pair pick() {
    try (ServerSocket broker = open();
        ServerSocket controller = open()) {
      return new Pair(broker.getLocalPort(), controller.getLocalPort());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + BrokerProperties.HOST, e);
    }
  }

  /** One port where nothing listens (at the time of the call). */
  static int one() {
    try (ServerSocket socket = open()) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + BrokerProperties.HOST, e);
    }
  }

  private static ServerSocket open() throws IOException {
    return new ServerSocket(0, 1, InetAddress.getByName(BrokerProperties.HOST));
  }
}
