package dev.herald.bench.load;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The load generator only ever talks to this machine; a guard against pointing it elsewhere. */
public final class Loopback {

  private Loopback() {}

  /** Throws when {@code host} does not resolve to a loopback address. */
  public static void require(String what, String host) {
    try {
      String h =
          host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
      for (InetAddress a : InetAddress.getAllByName(h)) {
        if (!a.isLoopbackAddress()) {
          throw new IllegalArgumentException(
              what
                  + ": "
                  + host
                  + " is not a loopback address; the benchmark runs on this machine only");
        }
      }
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(what + ": unknown host " + host, e);
    }
  }
}
