package dev.herald.core.shaping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one rule-target sends its target, compiled: EventBridge's four ways to shape a target's
 * input. The semantics of each form are described in the {@linkplain dev.herald.core.shaping
 * package documentation}.
 *
 * <ul>
 *   <li>none: the delivered envelope itself ({@link #isIdentity()});
 *   <li>{@code input}: constant JSON text, sent as given;
 *   <li>{@code inputPath}: the value a {@link JsonPath} selects in the envelope, as JSON;
 *   <li>{@code inputTransformer}: a template filled with variables read from the envelope.
 * </ul>
 *
 * <p>{@link #compile} checks everything when the rule is stored, so that {@link #apply} can fail
 * only for reasons that depend on the event. Immutable and thread-safe: one instance serves every
 * routing thread; {@link #apply} only reads the envelope it is given.
 */
public final class InputShape {

  /**
   * The input of one delivery. Each {@link #apply} returns fresh bytes that the caller owns; like
   * any record holding an array, two outputs are equal only if they share that array.
   *
   * @param bytes UTF-8: compact JSON when {@code json}, else plain text (a text template's output)
   * @param json whether {@code bytes} is JSON
   */
  public record Output(byte[] bytes, boolean json) {
    public Output {
      Objects.requireNonNull(bytes, "bytes");
    }

    /** The bytes as text. */
    public String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  private sealed interface Mode permits Identity, Constant, Path, Transform {}

  private record Identity() implements Mode {}

  private record Constant(byte[] json) implements Mode {}

  private record Path(JsonPath path) implements Mode {}

  private record Transform(Template template) implements Mode {}

  /** EventBridge's limit on {@code Input}. */
  public static final int MAX_INPUT_LENGTH = 8192;

  private static final InputShape IDENTITY = new InputShape(new Identity());

  private final Mode mode;

  private InputShape(Mode mode) {
    this.mode = mode;
  }

  /** No shaping: the target receives the delivered envelope. */
  public static InputShape identity() {
    return IDENTITY;
  }

  /**
   * Checks and compiles a rule-target's shaping; at most one of the three may be present.
   *
   * @param inputJson {@code input}: JSON text of at most {@value #MAX_INPUT_LENGTH} characters
   * @param inputPath {@code inputPath}: a JSONPath into the envelope, see {@link JsonPath}
   * @param transformer {@code inputTransformer}
   * @throws InvalidShapeException naming the field that is wrong
   */
  public static InputShape compile(
      Optional<String> inputJson,
      Optional<String> inputPath,
      Optional<InputTransformer> transformer) {
    Objects.requireNonNull(inputJson, "inputJson");
    Objects.requireNonNull(inputPath, "inputPath");
    Objects.requireNonNull(transformer, "transformer");
    requireAtMostOne(inputJson, inputPath, transformer);
    if (inputJson.isPresent()) {
      return new InputShape(new Constant(constant(inputJson.get())));
    }
    if (inputPath.isPresent()) {
      return new InputShape(new Path(JsonPath.compile("inputPath", inputPath.get())));
    }
    return transformer
        .map(t -> new InputShape(new Transform(TransformerCompiler.compile(t))))
        .orElse(IDENTITY);
  }

  /** Whether this is no shaping at all, so that callers can send the envelope they already have. */
  public boolean isIdentity() {
    return mode instanceof Identity;
  }

  /** Whether {@link #apply} produces JSON; false only for a plain-text template. */
  public boolean producesJson() {
    return !(mode instanceof Transform transform) || transform.template().json();
  }

  /**
   * The input of {@code envelope} for this rule-target.
   *
   * @param envelope the delivered envelope ({@code version, id, detail-type, source, account, time,
   *     region, resources, detail}); read, never changed
   * @param ruleName the rule, for {@code <aws.events.rule-name>}
   * @param ingestedAt when Herald accepted the event, for {@code <aws.events.event.ingestion-time>}
   * @throws TransformException when the event cannot be shaped: an {@code inputPath} that selects
   *     nothing, or a JSON template whose output is not valid JSON
   */
  public Output apply(ObjectNode envelope, String ruleName, Instant ingestedAt) {
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(ruleName, "ruleName");
    Objects.requireNonNull(ingestedAt, "ingestedAt");
    return switch (mode) {
      case Identity identity -> new Output(JsonText.bytes(envelope), true);
      case Constant constant -> new Output(constant.json().clone(), true);
      case Path path -> new Output(JsonText.bytes(select(path.path(), envelope, ruleName)), true);
      case Transform transform ->
          new Output(
              transform.template().render(envelope, ruleName, ingestedAt),
              transform.template().json());
    };
  }

  private static JsonNode select(JsonPath path, ObjectNode envelope, String ruleName) {
    return path.read(envelope)
        .orElseThrow(
            () ->
                new TransformException(
                    "the inputPath "
                        + path
                        + " of rule "
                        + ruleName
                        + " selects nothing in event "
                        + envelope.path("id").asText()));
  }

  private static void requireAtMostOne(
      Optional<String> inputJson,
      Optional<String> inputPath,
      Optional<InputTransformer> transformer) {
    List<String> set = new ArrayList<>();
    inputJson.ifPresent(x -> set.add("input"));
    inputPath.ifPresent(x -> set.add("inputPath"));
    transformer.ifPresent(x -> set.add("inputTransformer"));
    if (set.size() > 1) {
      throw new InvalidShapeException(
          set.get(1),
          "a rule-target may set at most one of input, inputPath and inputTransformer, but "
              + String.join(" and ", set)
              + " are set");
    }
  }

  private static byte[] constant(String json) {
    if (json.length() > MAX_INPUT_LENGTH) {
      throw new InvalidShapeException(
          "input",
          "input is "
              + json.length()
              + " characters long; at most "
              + MAX_INPUT_LENGTH
              + " are allowed");
    }
    try {
      JsonText.parse(json);
    } catch (JsonProcessingException e) {
      throw new InvalidShapeException("input", "input is not valid JSON: " + JsonText.problem(e));
    }
    return json.strip().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return switch (mode) {
      case Identity identity -> "InputShape[identity]";
      case Constant constant -> "InputShape[input]";
      case Path path -> "InputShape[inputPath=" + path.path() + "]";
      case Transform transform -> "InputShape[inputTransformer]";
    };
  }
}
