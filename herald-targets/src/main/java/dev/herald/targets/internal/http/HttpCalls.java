package dev.herald.targets.internal.http;

import dev.herald.api.delivery.Outcome;
import dev.herald.targets.TargetContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.InstantSource;
import javax.net.ssl.SSLSocketFactory;

/**
 * One outbound HTTP attempt of a target (webhook, chat): resolves the URL's host through the {@link
 * AddressPolicy}, lets the caller exchange with exactly the address that was checked, and turns
 * what went wrong on the way into an {@link Outcome}: {@code ForbiddenAddress} (permanent), {@code
 * Timeout}, {@code ConnectionFailed} and {@code ProxyRefused} (the egress proxy refused; retried).
 *
 * <p>Thread-safety: immutable apart from the client's pool of kept-alive connections, which is
 * thread-safe; {@link #attempt} may be called from any number of threads at once.
 */
public final class HttpCalls implements AutoCloseable {
  /** The exchange itself, given the checked address; it maps the response to an outcome. */
  public interface Call {
    Outcome exchange(InetAddress address)
        throws IOException, AddressPolicy.Forbidden, InterruptedException;
  }

  private final AddressPolicy addresses;
  private final Http1 http;
  private final InstantSource clock;

  public HttpCalls(TargetContext context, Duration connectTimeout, int maxResponseBody) {
    this(
        context, connectTimeout, maxResponseBody, (SSLSocketFactory) SSLSocketFactory.getDefault());
  }

  /**
   * @param tls makes the TLS sockets: a target's own trusted authorities and client certificate
   */
  public HttpCalls(
      TargetContext context, Duration connectTimeout, int maxResponseBody, SSLSocketFactory tls) {
    this.addresses = new AddressPolicy(context.outbound());
    this.clock = context.clock();
    this.http = new Http1(clock, connectTimeout, maxResponseBody, tls, context.proxy());
  }

  public AddressPolicy addresses() {
    return addresses;
  }

  public Http1 http() {
    return http;
  }

  /** Resolves and checks the host of {@code url}, then runs {@code call}; never throws. */
  public Outcome attempt(URI url, String where, Call call) {
    try {
      return call.exchange(addresses.resolve(Http1.bareHost(url), AddressPolicy.port(url)));
    } catch (AddressPolicy.Forbidden e) {
      return new Outcome.Permanent("ForbiddenAddress", e.getMessage());
    } catch (Http1.ProxyRefused e) {
      return new Outcome.Retry("ProxyRefused", e.getMessage());
    } catch (Http1.DeadlineExceeded e) {
      return new Outcome.Retry("Timeout", where + " did not answer before the deadline");
    } catch (UnknownHostException e) {
      return new Outcome.Retry("ConnectionFailed", "cannot resolve " + e.getMessage());
    } catch (IOException e) {
      return new Outcome.Retry("ConnectionFailed", where + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome.Retry("Timeout", where + ": interrupted");
    } catch (IllegalArgumentException e) {
      return new Outcome.Permanent("PermanentFailure", where + ": " + e.getMessage());
    }
  }

  /** Closes the idle kept-alive connections. */
  @Override
  public void close() {
    http.close();
  }

  /** {@code METHOD scheme://authority/path}, without user info or query, for messages. */
  public static String describe(String method, URI url) {
    return method
        + " "
        + url.getScheme()
        + "://"
        + url.getRawAuthority().replaceFirst("^.*@", "")
        + (url.getRawPath() == null ? "" : url.getRawPath());
  }
}
