package dev.herald.core.event;

import java.util.regex.Pattern;

/**
 * The rule for names of buses, rules and targets: {@code [A-Za-z0-9._-]{1,64}}, except {@code .}
 * and {@code ..}, which a path would read as the current or the parent segment.
 */
public final class Names {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private Names() {}

  public static boolean isValid(String name) {
    return name != null && NAME.matcher(name).matches() && !name.equals(".") && !name.equals("..");
  }

  public static String describe() {
    return "1 to 64 characters of A-Z, a-z, 0-9, '.', '_' or '-', other than '.' and '..'";
  }
}
