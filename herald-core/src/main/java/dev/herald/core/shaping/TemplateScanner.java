package dev.herald.core.shaping;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an input template into literal text and {@code <name>} placeholders, following JSON string
 * quotes (a backslash inside quotes escapes the next character) so that each placeholder knows
 * whether it stands inside a quoted string and whether it stands where an object key would. A
 * {@code <} that does not open {@code <name>} with a name of {@code [A-Za-z0-9_.-]} characters is
 * literal text. Stateless and thread-safe.
 */
final class TemplateScanner {
  private TemplateScanner() {}

  sealed interface Token permits Text, Placeholder {}

  record Text(String text) implements Token {}

  /**
   * @param name the variable named
   * @param inString whether it stands inside a double-quoted string
   * @param key whether it, or the string it stands in, is followed by {@code :}, as an object key
   *     is
   * @param at the index of its {@code <} in the template
   */
  record Placeholder(String name, boolean inString, boolean key, int at) implements Token {}

  static List<Token> scan(String template) {
    return new Pass(template).run();
  }

  static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '.'
        || c == '-';
  }

  /** One pass over one template; not shared. */
  private static final class Pass {
    private final String t;
    private final List<Token> tokens = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private boolean inString;
    private int stringStart;
    private int i;

    Pass(String template) {
      this.t = template;
    }

    List<Token> run() {
      while (i < t.length()) {
        char c = t.charAt(i);
        int end = c == '<' ? placeholderEnd() : -1;
        if (end > 0) {
          placeholder(end);
        } else if (inString && c == '\\' && i + 1 < t.length()) {
          text.append(c).append(t.charAt(i + 1));
          i += 2;
        } else {
          if (c == '"') {
            quote();
          }
          text.append(c);
          i++;
        }
      }
      flush();
      return List.copyOf(tokens);
    }

    private int placeholderEnd() {
      int j = i + 1;
      while (j < t.length() && isNameChar(t.charAt(j))) {
        j++;
      }
      return j > i + 1 && j < t.length() && t.charAt(j) == '>' ? j : -1;
    }

    private void placeholder(int end) {
      flush();
      boolean key = !inString && followedByColon(end + 1);
      tokens.add(new Placeholder(t.substring(i + 1, end), inString, key, i));
      i = end + 1;
    }

    private void quote() {
      if (!inString) {
        inString = true;
        stringStart = tokens.size();
        return;
      }
      inString = false;
      if (followedByColon(i + 1)) {
        for (int j = stringStart; j < tokens.size(); j++) {
          if (tokens.get(j) instanceof Placeholder p) {
            tokens.set(j, new Placeholder(p.name(), true, true, p.at()));
          }
        }
      }
    }

    private boolean followedByColon(int from) {
      int j = from;
      while (j < t.length() && Character.isWhitespace(t.charAt(j))) {
        j++;
      }
      return j < t.length() && t.charAt(j) == ':';
    }

    private void flush() {
      if (!text.isEmpty()) {
        tokens.add(new Text(text.toString()));
        text.setLength(0);
      }
    }
  }
}
