package dev.herald.targets.internal.http;

import java.util.Locale;
import java.util.Set;

/** RFC 9110 header syntax, and the headers a target's configuration may not set. Stateless. */
public final class HeaderRules {
  /** Set by the transport or by Herald itself; configuring them would corrupt the request. */
  static final Set<String> RESERVED =
      Set.of(
          "host",
          "content-length",
          "transfer-encoding",
          "connection",
          "upgrade",
          "te",
          "trailer",
          "webhook-id",
          "webhook-timestamp",
          "webhook-signature",
          "herald-event-id",
          "herald-rule",
          "herald-attempt",
          "herald-replay-name",
          "traceparent");

  private static final String TCHAR = "!#$%&'*+-.^_`|~";

  private HeaderRules() {}

  public static boolean isReserved(String name) {
    return RESERVED.contains(name.toLowerCase(Locale.ROOT));
  }

  public static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || TCHAR.indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Visible characters, spaces and tabs only: no CR, LF or other controls. */
  public static boolean isValue(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        return false;
      }
    }
    return true;
  }
}
