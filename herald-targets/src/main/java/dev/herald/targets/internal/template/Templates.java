package dev.herald.targets.internal.template;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.github.mustachejava.Code;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.DefaultMustacheVisitor;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.MustacheVisitor;
import com.github.mustachejava.TemplateContext;
import com.github.mustachejava.codes.CommentCode;
import com.github.mustachejava.codes.ValueCode;
import dev.herald.api.delivery.Delivery;
import dev.herald.core.config.ConfigException;
import dev.herald.core.json.Json;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * Mustache templates over the delivered input (the envelope, e.g. {@code {{detail.customer.email}}}
 * or {@code {{detail-type}}}, or the rule's shaped input).
 *
 * <p>Rules: templates are compiled when a target is built, and a syntax error names the settings
 * field. Rendering is strict: a variable ({@code {{x}}}, {@code {{{x}}}}, {@code {{&x}}}) whose
 * value is missing or null fails with {@link RenderException}; sections ({@code {{#x}}...{{/x}}}
 * and {@code {{^x}}...{{/x}}}) are the way to make something optional, and a missing section name
 * is simply false. Names resolve only keys of JSON objects and indexes of arrays ({@code
 * {{resources.0}}}), never Java methods; an object or array renders as compact JSON. Partials and
 * template inheritance are refused (they would read files). Plain-text templates write values as
 * they are; HTML templates escape them.
 *
 * <p>Thread-safety: compiled {@link Template}s are immutable and render concurrently; compiling is
 * serialised on the shared factory.
 */
public final class Templates {
  private static final Factory PLAIN = new Factory(false);
  private static final Factory HTML = new Factory(true);

  private Templates() {}

  /** How rendered values are written into the text. */
  public enum Escaping {
    NONE,
    HTML
  }

  /** A template could not be rendered for this input: the delivery cannot succeed as it is. */
  public static final class RenderException extends Exception {
    private static final long serialVersionUID = 1L;

    RenderException(String message) {
      super(message);
    }
  }

  /** A compiled template of one settings field. */
  public static final class Template {
    private final Mustache mustache;
    private final String field;
    private final boolean constant;

    private Template(Mustache mustache, String field) {
      this.mustache = mustache;
      this.field = field;
      this.constant = hasNoTags(mustache.getCodes());
    }

    /** The settings field the template came from, e.g. {@code email.subject}. */
    public String field() {
      return field;
    }

    /** Whether the template has no tags, so that it renders the same text for every input. */
    public boolean isConstant() {
      return constant;
    }

    /**
     * Renders the template over {@code scope} (from {@link #scope}).
     *
     * @throws RenderException naming the variable whose value is missing, and this field
     */
    public String render(Object scope) throws RenderException {
      List<Object> scopes = new ArrayList<>(2);
      scopes.add(scope);
      BoundedWriter out = new BoundedWriter();
      try {
        mustache.execute(out, scopes);
      } catch (MustacheException e) {
        throw new RenderException(describe(e));
      } catch (BoundedWriter.Full e) {
        throw new RenderException(
            field + " rendered more than " + MAX_RENDERED_CHARS + " characters");
      }
      return out.toString();
    }

    private String describe(MustacheException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof BoundedWriter.Full) {
          return field + " rendered more than " + MAX_RENDERED_CHARS + " characters";
        }
        if (t instanceof MissingValue missing) {
          return missing.name
              + " is missing or null in the delivered input ("
              + field
              + ", line "
              + missing.line
              + ")";
        }
      }
      return field + ": " + e.getMessage();
    }
  }

  /** The longest template accepted, in characters. */
  public static final int MAX_TEMPLATE_CHARS = 65_536;

  /** The deepest nesting of sections ({@code {{#a}}{{#b}}...}) accepted. */
  public static final int MAX_NESTING = 32;

  /** The longest text one template may render, in characters; longer renders fail. */
  public static final int MAX_RENDERED_CHARS = 1024 * 1024;

  /**
   * Refuses what the Mustache compiler cannot take safely: a template over {@link
   * #MAX_TEMPLATE_CHARS}, sections nested deeper than {@link #MAX_NESTING} (the compiler recurses
   * once per level), and delimiter changes ({@code {{=<% %>=}}}), which would hide sections from
   * this count.
   */
  private static void checkShape(String source, String field) {
    if (source.length() > MAX_TEMPLATE_CHARS) {
      throw new ConfigException.Invalid(
          field,
          field
              + " is "
              + source.length()
              + " characters long; the limit is "
              + MAX_TEMPLATE_CHARS);
    }
    int depth = 0;
    for (int at = source.indexOf("{{"); at >= 0; at = source.indexOf("{{", at + 2)) {
      char kind = at + 2 < source.length() ? source.charAt(at + 2) : ' ';
      switch (kind) {
        case '#', '^', '$', '<' -> depth++;
        case '/' -> depth--;
        case '=' ->
            throw new ConfigException.Invalid(
                field, field + ": changing the Mustache delimiters ({{=...=}}) is not supported");
        default -> {}
      }
      if (depth > MAX_NESTING) {
        throw new ConfigException.Invalid(
            field, field + " nests sections deeper than " + MAX_NESTING + " levels");
      }
    }
  }

  /**
   * Compiles {@code source}, the value of the settings field {@code field}.
   *
   * @throws ConfigException.Invalid naming {@code field} if the template does not compile
   */
  public static Template compile(String source, String field, Escaping escaping) {
    checkShape(source, field);
    Factory factory = escaping == Escaping.HTML ? HTML : PLAIN;
    try {
      return new Template(factory.compileOne(source, field), field);
    } catch (MustacheException e) {
      throw new ConfigException.Invalid(
          field, field + " is not a valid Mustache template: " + e.getMessage());
    }
  }

  /**
   * The value templates render over: the parsed JSON input (objects as maps, arrays as lists), or
   * the plain-text input as a string.
   *
   * @throws RenderException if the input claims to be JSON but is not
   */
  public static Object scope(Delivery delivery) throws RenderException {
    if (!delivery.json()) {
      return new String(delivery.input(), UTF_8);
    }
    try {
      // maps, lists, strings, numbers (decimals as written), booleans and nulls
      return Json.MAPPER.readValue(delivery.input(), Object.class);
    } catch (IOException e) {
      throw new RenderException("the delivered input is not valid JSON: " + e.getMessage());
    }
  }

  /** Whether no code (at any depth) is a tag: only text, comments and the end of the template. */
  private static boolean hasNoTags(Code[] codes) {
    if (codes == null) {
      return true;
    }
    for (Code code : codes) {
      boolean tag = code.getName() != null && !(code instanceof CommentCode);
      if (tag || !hasNoTags(code.getCodes())) {
        return false;
      }
    }
    return true;
  }

  /** Thrown by a strict variable whose value is missing; carried out through mustache.java. */
  private static final class MissingValue extends MustacheException {
    private static final long serialVersionUID = 1L;
    private final String name;
    private final int line;

    MissingValue(String name, TemplateContext tc) {
      super(name + " is missing", tc);
      this.name = name;
      this.line = tc.line();
    }
  }

  /** A variable that refuses to render a missing or null value as nothing. */
  private static final class StrictValueCode extends ValueCode {
    StrictValueCode(
        TemplateContext tc, DefaultMustacheFactory df, String variable, boolean encoded) {
      super(tc, df, variable, encoded);
    }

    @Override
    public Writer execute(Writer writer, List<Object> scopes) {
      if (get(scopes) == null) {
        throw new MissingValue(name, tc);
      }
      return super.execute(writer, scopes);
    }
  }

  /** mustache.java configured for Herald: JSON lookups, strict variables, no file access. */
  private static final class Factory extends DefaultMustacheFactory {
    private final boolean html;

    Factory(boolean html) {
      this.html = html;
      setObjectHandler(new JsonObjectHandler());
    }

    synchronized Mustache compileOne(String source, String name) {
      return compile(new StringReader(source), name);
    }

    @Override
    public void encode(String value, Writer writer) {
      if (html) {
        super.encode(value, writer);
        return;
      }
      try {
        writer.write(value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public Reader getReader(String resourceName) {
      throw new MustacheException("templates cannot include other templates");
    }

    @Override
    public MustacheVisitor createMustacheVisitor() {
      return new DefaultMustacheVisitor(this) {
        @Override
        public void value(TemplateContext tc, String variable, boolean encoded) {
          list.add(new StrictValueCode(tc, df, variable, encoded));
        }

        @Override
        public void partial(TemplateContext tc, String variable, String indent) {
          throw new MustacheException("partials ({{>" + variable + "}}) are not supported", tc);
        }

        @Override
        public void dynamicPartial(TemplateContext tc, String variable, String indent) {
          throw new MustacheException("partials ({{>*" + variable + "}}) are not supported", tc);
        }

        @Override
        public void extend(TemplateContext tc, String variable, Mustache mustache) {
          throw new MustacheException("template inheritance is not supported", tc);
        }
      };
    }
  }

  /** Writes a map or list as compact JSON (used when a variable names an object or array). */
  static String json(Object value) {
    try {
      return Json.MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("maps and lists of JSON values always serialise", e);
    }
  }

  /** A string writer that stops at {@link #MAX_RENDERED_CHARS}. Not thread-safe. */
  private static final class BoundedWriter extends Writer {
    private final StringBuilder text = new StringBuilder();

    /** Thrown when the text would grow past the limit. */
    static final class Full extends RuntimeException {
      private static final long serialVersionUID = 1L;

      Full() {
        super(null, null, false, false);
      }
    }

    @Override
    public void write(char[] chars, int offset, int length) {
      if (text.length() + length > MAX_RENDERED_CHARS) {
        throw new Full();
      }
      text.append(chars, offset, length);
    }

    @Override
    public void write(String s, int offset, int length) {
      if (text.length() + length > MAX_RENDERED_CHARS) {
        throw new Full();
      }
      text.append(s, offset, offset + length);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    @Override
    public String toString() {
      return text.toString();
    }
  }
}
