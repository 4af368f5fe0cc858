package dev.herald.engine.delivery;

/**
 * Makes a failure's code and message, which come from targets (a receiver's answer, a function's
 * exception), fit to keep: control characters (NUL above all, which PostgreSQL text refuses) become
 * spaces, and each is cut to a bounded length, so that a target cannot make its results unstorable
 * or the journal large. Stateless.
 */
final class ErrorText {
  static final int MAX_CODE = 64;
  static final int MAX_MESSAGE = 1_000;

  private ErrorText() {}

  static String code(String code) {
    return clean(code, MAX_CODE);
  }

  static String message(String message) {
    return clean(message, MAX_MESSAGE);
  }

  private static String clean(String text, int max) {
    if (text.length() <= max && text.codePoints().noneMatch(ErrorText::unfit)) {
      return text; // the usual case: nothing copied
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), max));
    int limit = text.length() > max ? max - 1 : max; // room for the ellipsis
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (out.length() + Character.charCount(c) > limit) {
        break; // never half a character
      }
      out.appendCodePoint(unfit(c) ? ' ' : c);
      i += Character.charCount(c);
    }
    if (text.length() > max) {
      out.append('…');
    }
    return out.toString();
  }

  /**
   * ISO control characters, and lone surrogates (half of a pair: no encoding keeps them), as code
   * points.
   */
  private static boolean unfit(int c) {
    return Character.isISOControl(c)
        || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE);
  }
}
