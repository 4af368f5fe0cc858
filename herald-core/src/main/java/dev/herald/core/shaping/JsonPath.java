package dev.herald.core.shaping;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A compiled JSONPath of the subset EventBridge documents for {@code InputPath} and {@code
 * InputPathsMap}, which selects at most one value:
 *
 * <ul>
 *   <li>the root {@code $};
 *   <li>dot-notation names made of letters, digits, {@code _}, {@code -} and {@code /}: {@code
 *       $.detail.instance-id};
 *   <li>bracket-notation keys for any other name, in single or double quotes, where a backslash
 *       escapes the quote or itself: {@code $.detail['order id']};
 *   <li>array indexes from 0: {@code $.resources[0]}, {@code $.detail.items[2].sku}.
 * </ul>
 *
 * <p>Wildcards, recursive descent, filters, script expressions, slices, unions and negative indexes
 * are rejected when compiled, naming the character where they start (EventBridge lists wildcards as
 * accepted but does not document what a multi-valued selection yields, so Herald does not guess). A
 * path is at most {@value #MAX_LENGTH} characters, EventBridge's limit for {@code InputPath}.
 *
 * <p>Immutable and thread-safe.
 */
public final class JsonPath {
  /** The longest path accepted, as EventBridge's {@code InputPath}. */
  public static final int MAX_LENGTH = 256;

  private sealed interface Step permits Name, Index {}

  private record Name(String name) implements Step {}

  private record Index(int index) implements Step {}

  private final String text;
  private final List<Step> steps;

  private JsonPath(String text, List<Step> steps) {
    this.text = text;
    this.steps = steps;
  }

  /**
   * Compiles {@code path}.
   *
   * @throws InvalidShapeException naming the field {@code path} when it is not a supported JSONPath
   */
  public static JsonPath compile(String path) {
    return compile("path", path);
  }

  /** Compiles {@code path}; errors name {@code field}. */
  static JsonPath compile(String field, String path) {
    return new Parser(field, path).parse();
  }

  /**
   * The value at this path in {@code root}, or empty when the path leads nowhere (a missing key, an
   * index past the end, or a step into a value of the wrong kind). A JSON {@code null} in the
   * document is present: it is returned as a null node.
   */
  public Optional<JsonNode> read(JsonNode root) {
    JsonNode node = Objects.requireNonNull(root, "root");
    for (Step step : steps) {
      node =
          switch (step) {
            case Name name -> node.isObject() ? node.get(name.name()) : null;
            case Index index -> node.isArray() ? node.get(index.index()) : null;
          };
      if (node == null) {
        return Optional.empty();
      }
    }
    return Optional.of(node);
  }

  /** Whether this is {@code $}, the whole document. */
  public boolean isRoot() {
    return steps.isEmpty();
  }

  /** The path as written. */
  public String text() {
    return text;
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof JsonPath path && path.steps.equals(steps);
  }

  @Override
  public int hashCode() {
    return steps.hashCode();
  }

  /** One pass over one path; not shared. */
  private static final class Parser {
    private final String field;
    private final String text;
    private final List<Step> steps = new ArrayList<>();
    private int pos;

    Parser(String field, String text) {
      this.field = field;
      this.text = text;
    }

    JsonPath parse() {
      if (text == null || text.isEmpty()) {
        throw new InvalidShapeException(
            field, field + " must be a JSONPath such as $.detail, but it is empty");
      }
      if (text.length() > MAX_LENGTH) {
        throw new InvalidShapeException(
            field,
            field
                + " is "
                + text.length()
                + " characters long; a JSONPath has at most "
                + MAX_LENGTH);
      }
      if (text.charAt(0) != '$') {
        throw fail(0, "a JSONPath starts with '$'");
      }
      pos = 1;
      while (pos < text.length()) {
        char c = text.charAt(pos);
        switch (c) {
          case '.' -> dotted();
          case '[' -> bracketed();
          default ->
              throw fail(
                  pos,
                  "unexpected '"
                      + c
                      + "', expected '.' or '[' (a key with characters other than letters,"
                      + " digits, '_', '-' and '/' is written ['...'])");
        }
      }
      return new JsonPath(text, List.copyOf(steps));
    }

    private void dotted() {
      int dot = pos++;
      if (pos == text.length()) {
        throw fail(dot, "a name must follow '.'");
      }
      char first = text.charAt(pos);
      if (first == '.') {
        throw fail(dot, "recursive descent '..' is not supported");
      }
      if (first == '*') {
        throw fail(pos, "the wildcard '*' is not supported");
      }
      int start = pos;
      while (pos < text.length() && isNameChar(text.charAt(pos))) {
        pos++;
      }
      if (pos == start) {
        throw fail(pos, "a name cannot start with '" + first + "' (write such a key as ['...'])");
      }
      steps.add(new Name(text.substring(start, pos)));
    }

    private void bracketed() {
      int open = pos++;
      if (pos == text.length()) {
        throw fail(open, "'[' is not closed");
      }
      char c = text.charAt(pos);
      if (c == '\'' || c == '"') {
        steps.add(new Name(quoted(c)));
      } else if (c >= '0' && c <= '9') {
        steps.add(new Index(index()));
      } else {
        throw fail(pos, unsupportedAfterBracket(c));
      }
      if (pos == text.length()) {
        throw fail(open, "'[' is not closed");
      }
      char close = text.charAt(pos);
      if (close != ']') {
        throw fail(pos, unsupportedBeforeClose(close));
      }
      pos++;
    }

    private String quoted(char quote) {
      int open = pos++;
      StringBuilder key = new StringBuilder();
      while (pos < text.length()) {
        char c = text.charAt(pos++);
        if (c == quote) {
          return key.toString();
        }
        if (c == '\\') {
          if (pos == text.length()) {
            break;
          }
          c = text.charAt(pos);
          if (c != quote && c != '\\') {
            throw fail(pos - 1, "only \\" + quote + " and \\\\ are escapes in a quoted key");
          }
          pos++;
        }
        key.append(c);
      }
      throw fail(open, "the quote " + quote + " is not closed");
    }

    private int index() {
      int start = pos;
      while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
        pos++;
      }
      if (pos - start > 9) {
        throw fail(start, "the index " + text.substring(start, pos) + " is too large");
      }
      return Integer.parseInt(text, start, pos, 10);
    }

    private static String unsupportedAfterBracket(char c) {
      return switch (c) {
        case '*' -> "the wildcard '[*]' is not supported";
        case '?' -> "filter expressions '[?(...)]' are not supported";
        case '(' -> "script expressions '[(...)]' are not supported";
        case '-' -> "negative indexes are not supported";
        case ':' -> "slices '[a:b]' are not supported";
        default -> "'[' must be followed by an array index or a quoted key, not '" + c + "'";
      };
    }

    private static String unsupportedBeforeClose(char c) {
      return switch (c) {
        case ',' -> "unions '[a,b]' are not supported";
        case ':' -> "slices '[a:b]' are not supported";
        default -> "expected ']', not '" + c + "'";
      };
    }

    private static boolean isNameChar(char c) {
      return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '/';
    }

    private InvalidShapeException fail(int index, String problem) {
      return new InvalidShapeException(
          field,
          field
              + " \""
              + text
              + "\" is not a supported JSONPath: at character "
              + (index + 1)
              + ", "
              + problem);
    }
  }
}
