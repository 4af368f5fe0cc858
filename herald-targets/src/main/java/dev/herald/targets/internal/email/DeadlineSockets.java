package dev.herald.targets.internal.email;

import dev.herald.targets.internal.http.AddressPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.SocketFactory;

/**
 * The socket factory of one email target's mail session (Angus Mail asks it for unconnected
 * sockets). Each socket connects to the address the {@link AddressPolicy} checked for the current
 * attempt, whatever name the mail library resolved, and is closed when the attempt's deadline
 * passes, which ends a stuck connect, read or write alike.
 *
 * <p>Thread-safety: the current {@link Attempt} is per thread: {@link #run} sets it on the calling
 * (delivering) thread, which is the thread Angus Mail creates its sockets on; an attempt's socket
 * list is safe to close from its watchdog thread.
 */
final class DeadlineSockets extends SocketFactory {
  @SuppressWarnings("ThreadLocalUsage") // one per email target: its attempts, not the JVM's
  private final ThreadLocal<Attempt> current = new ThreadLocal<>();

  private final InstantSource clock;

  DeadlineSockets(InstantSource clock) {
    this.clock = clock;
  }

  /** Work that opens sockets through this factory. */
  interface Work<T, E extends Exception> {
    T run() throws E;
  }

  /** The sockets of one attempt, and whether its deadline has passed. */
  static final class Attempt {
    private final InetAddress address;
    private final Instant deadline;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean expired;

    private Attempt(InetAddress address, Instant deadline) {
      this.address = address;
      this.deadline = deadline;
    }

    /** Whether the deadline passed and the sockets were closed. */
    boolean expired() {
      return expired;
    }

    private void expire() {
      expired = true;
      sockets.forEach(DeadlineSockets::closeQuietly);
    }
  }

  /**
   * Runs {@code work} on this thread with sockets bound to {@code address}, closing them all at
   * {@code deadline}. {@code attempt} tells afterwards whether the deadline ended it.
   */
  <T, E extends Exception> T run(Attempt attempt, Work<T, E> work) throws E {
    Duration remaining = Duration.between(clock.instant(), attempt.deadline);
    Thread watchdog =
        Thread.ofVirtual()
            .name("herald-smtp-deadline")
            .start(
                () -> {
                  try {
                    Thread.sleep(remaining.isNegative() ? Duration.ZERO : remaining);
                    attempt.expire();
                  } catch (InterruptedException finishedInTime) {
                    // the attempt ended before its deadline
                  }
                });
    current.set(attempt);
    try {
      return work.run();
    } finally {
      current.remove();
      watchdog.interrupt();
      attempt.sockets.forEach(DeadlineSockets::closeQuietly);
    }
  }

  static Attempt attempt(InetAddress address, Instant deadline) {
    return new Attempt(address, deadline);
  }

  @Override
  public Socket createSocket() throws SocketException {
    Attempt attempt = current.get();
    if (attempt == null) {
      throw new SocketException("no delivery attempt in progress on this thread");
    }
    Socket socket = new CheckedSocket(attempt, clock);
    attempt.sockets.add(socket);
    if (attempt.expired) {
      closeQuietly(socket); // the watchdog fired between the check and the add
    }
    return socket;
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    throw new SocketException("only unconnected sockets are made here");
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress local, int localPort)
      throws IOException {
    throw new SocketException("only unconnected sockets are made here");
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    throw new SocketException("only unconnected sockets are made here");
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress local, int localPort)
      throws IOException {
    throw new SocketException("only unconnected sockets are made here");
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  /** Connects to the checked address (on the port asked for), within the remaining time. */
  private static final class CheckedSocket extends Socket {
    private final Attempt attempt;
    private final InstantSource clock;

    CheckedSocket(Attempt attempt, InstantSource clock) {
      this.attempt = attempt;
      this.clock = clock;
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
      int port = ((InetSocketAddress) endpoint).getPort();
      long remaining = Duration.between(clock.instant(), attempt.deadline).toMillis();
      if (remaining <= 0) {
        throw new SocketException("deadline passed before connecting");
      }
      int limit = (int) Math.min(remaining, timeout <= 0 ? Integer.MAX_VALUE : timeout);
      super.connect(new InetSocketAddress(attempt.address, port), limit);
    }
  }
}
