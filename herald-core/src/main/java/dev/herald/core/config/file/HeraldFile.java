package dev.herald.core.config.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.herald.core.config.ConfigException;
import dev.herald.core.config.DesiredState;
import dev.herald.core.config.TargetTypes;
import dev.herald.core.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a herald.yaml for one environment: the base merged with the environment's overlay (maps
 * merged deeply, lists replaced, {@code null} removes), secrets in clear refused unless the
 * environment allows them, {@code ${env:NAME}} and {@code ${file:path}} substituted, every object
 * checked by its API's parser, and every rule's bus and targets declared. Each problem is a {@link
 * FileError} with its line and column. Stateless; the {@link Resolver} does the I/O.
 */
public final class HeraldFile {
  static final Set<String> TOP =
      Set.of("herald", "buses", "targets", "rules", "keys", "environments");
  static final Set<String> KINDS = Set.of("buses", "targets", "rules", "keys");
  static final Set<String> ENVIRONMENT =
      Set.of("allowPlaintextSecrets", "buses", "targets", "rules", "keys");
  static final String DEFAULT_BUS = "default";
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z]+):([^}]*)}");

  /** Where {@code ${env:NAME}} and {@code ${file:path}} come from. */
  public interface Resolver {
    Optional<String> env(String name);

    /**
     * The file's text, or empty when it cannot be read.
     *
     * @param path as written in herald.yaml
     */
    Optional<String> file(String path);
  }

  /**
   * What a herald.yaml says for one environment.
   *
   * @param desired the desired state's JSON ({@link DesiredState#parse}), secrets substituted;
   *     meaningful only when {@code errors} is empty
   * @param environments the environments the file declares
   */
  public record Loaded(ObjectNode desired, List<FileError> errors, List<String> environments) {
    public Loaded {
      errors = List.copyOf(errors);
      environments = List.copyOf(environments);
    }

    public boolean valid() {
      return errors.isEmpty();
    }
  }

  private final String file;
  private final YamlTree tree;
  private final List<FileError> errors = new ArrayList<>();
  private final List<String> environments = new ArrayList<>();

  private HeraldFile(String file, YamlTree tree) {
    this.file = file;
    this.tree = tree;
  }

  /**
   * Reads {@code text} for {@code environment} (none: the base alone).
   *
   * @param file the file's name as the user gave it, for the messages
   */
  public static Loaded load(
      String file, String text, Optional<String> environment, Resolver resolver) {
    YamlTree tree;
    try {
      tree = YamlTree.parse(text);
    } catch (YamlTree.SyntaxError e) {
      return new Loaded(
          Json.object(),
          List.of(new FileError(file, e.location.line(), e.location.column(), "", e.getMessage())),
          List.of());
    }
    return new HeraldFile(file, tree).load(environment, resolver);
  }

  private Loaded load(Optional<String> environment, Resolver resolver) {
    if (!tree.root.isObject()) {
      error("", "herald.yaml must be a map with herald: 1, buses, targets, rules, keys");
      return result(Json.object());
    }
    ObjectNode root = (ObjectNode) tree.root;
    checkKeys(root, "", TOP);
    JsonNode version = root.get("herald");
    if (version == null || !version.isIntegralNumber() || version.asInt() != 1) {
      error(version == null ? "" : "herald", "herald: 1 is required (the file format's version)");
    }
    ObjectNode envs = environments(root);
    ObjectNode merged = Json.object();
    for (String kind : List.of("buses", "targets", "rules", "keys")) {
      JsonNode base = root.get(kind);
      if (base != null && !base.isNull() && !base.isObject()) {
        error(kind, kind + " must be a map of names to their settings");
      } else {
        merged.set(kind, base == null || base.isNull() ? Json.object() : base.deepCopy());
      }
    }
    boolean allowPlaintext = false;
    if (environment.isPresent()) {
      JsonNode overlay = envs.get(environment.get());
      if (overlay == null) {
        error(
            envs.isEmpty() ? "" : "environments",
            "environment '"
                + environment.get()
                + "' is not declared"
                + (environments.isEmpty() ? "" : "; declared: " + String.join(", ", environments)));
        return result(Json.object());
      }
      if (overlay.isObject()) {
        allowPlaintext = overlay.path("allowPlaintextSecrets").asBoolean(false);
        for (String kind : KINDS) {
          JsonNode o = overlay.get(kind);
          if (o != null && o.isObject() && merged.get(kind) instanceof ObjectNode m) {
            merge(m, (ObjectNode) o);
          }
        }
      }
    }
    String prefix = environment.map(e -> "environments." + e + ".").orElse("");
    if (!allowPlaintext) {
      checkSecrets(merged, environment);
    }
    int before = errors.size();
    substitute(merged, "", resolver, prefix);
    boolean substituted = errors.size() == before;
    checkReferences(merged, envs, environment, prefix);
    // a value left empty by a missing ${env:} or ${file:} would only repeat that error
    List<ConfigException.Invalid> invalid =
        substituted ? DesiredState.parse(merged).errors() : List.of();
    for (ConfigException.Invalid e : invalid) {
      String message = "UnknownField".equals(e.code()) ? "unknown key" : e.getMessage();
      errorAt(e.field(), prefix, message);
    }
    return result(merged);
  }

  private Loaded result(ObjectNode desired) {
    return new Loaded(desired, errors, environments);
  }

  private ObjectNode environments(ObjectNode root) {
    JsonNode envs = root.get("environments");
    if (envs == null || envs.isNull()) {
      return Json.object();
    }
    if (!envs.isObject()) {
      error("environments", "environments must be a map of environment names to overlays");
      return Json.object();
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = envs.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> env = it.next();
      environments.add(env.getKey());
      String path = "environments." + env.getKey();
      if (env.getValue().isNull()) {
        continue;
      }
      if (!env.getValue().isObject()) {
        error(path, "an environment is a map of overlays (buses, targets, rules, keys)");
        continue;
      }
      checkKeys((ObjectNode) env.getValue(), path, ENVIRONMENT);
      JsonNode allow = env.getValue().get("allowPlaintextSecrets");
      if (allow != null && !allow.isBoolean()) {
        error(path + ".allowPlaintextSecrets", "must be true or false");
      }
      for (String kind : KINDS) {
        JsonNode o = env.getValue().get(kind);
        if (o != null && !o.isNull() && !o.isObject()) {
          error(path + "." + kind, kind + " must be a map of names to their settings");
        }
      }
    }
    return (ObjectNode) envs;
  }

  private void checkKeys(ObjectNode node, String path, Set<String> allowed) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        error(
            path.isEmpty() ? name : path + "." + name,
            "unknown key; allowed: " + String.join(", ", new TreeSet<>(allowed)));
      }
    }
  }

  /** Deep merge: maps merged, everything else (lists too) replaced, {@code null} removes. */
  static void merge(ObjectNode base, ObjectNode overlay) {
    for (Iterator<Map.Entry<String, JsonNode>> it = overlay.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode current = base.get(e.getKey());
      if (e.getValue().isNull()) {
        base.remove(e.getKey());
      } else if (current instanceof ObjectNode c && e.getValue() instanceof ObjectNode o) {
        merge(c, o);
      } else {
        base.set(e.getKey(), e.getValue().deepCopy());
      }
    }
  }

  /** A secret must come from {@code ${env:...}} or {@code ${file:...}}, not be written in clear. */
  private void checkSecrets(ObjectNode merged, Optional<String> environment) {
    String hint =
        environment
            .map(e -> "; or set allowPlaintextSecrets: true in environments." + e + " (dev only)")
            .orElse("");
    merged
        .path("targets")
        .fields()
        .forEachRemaining(
            t -> {
              String type = t.getValue().path("type").asText();
              JsonNode settings = t.getValue().path(type);
              if (!TargetTypes.exists(type) || !settings.isObject()) {
                return;
              }
              for (String pointer : TargetTypes.secretPaths(type, settings)) {
                JsonNode value = settings.at(pointer);
                String path = "targets." + t.getKey() + "." + type + pointer.replace('/', '.');
                for (JsonNode v : value.isArray() ? value : List.of(value)) {
                  if (v.isTextual() && !REFERENCE.matcher(v.asText()).find()) {
                    errorAt(
                        path,
                        environment.map(e -> "environments." + e + ".").orElse(""),
                        "a secret written in clear; use ${env:NAME} or ${file:path}" + hint);
                  }
                }
              }
            });
    merged
        .path("keys")
        .fields()
        .forEachRemaining(
            k -> {
              JsonNode key = k.getValue().path("key");
              if (key.isTextual() && !REFERENCE.matcher(key.asText()).find()) {
                errorAt(
                    "keys." + k.getKey() + ".key",
                    environment.map(e -> "environments." + e + ".").orElse(""),
                    "a key's secret written in clear; use ${env:NAME} or ${file:path}" + hint);
              }
            });
  }

  /** Replaces every {@code ${env:NAME}} and {@code ${file:path}} in the strings of the tree. */
  private void substitute(JsonNode node, String path, Resolver resolver, String prefix) {
    if (node instanceof ObjectNode object) {
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        if (e.getValue().isTextual()) {
          e.setValue(TextNode.valueOf(resolve(e.getValue().asText(), child, resolver, prefix)));
        } else {
          substitute(e.getValue(), child, resolver, prefix);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        String child = path + "[" + i + "]";
        if (array.get(i).isTextual()) {
          array.set(i, TextNode.valueOf(resolve(array.get(i).asText(), child, resolver, prefix)));
        } else {
          substitute(array.get(i), child, resolver, prefix);
        }
      }
    }
  }

  private String resolve(String text, String path, Resolver resolver, String prefix) {
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String kind = m.group(1);
      String name = m.group(2);
      Optional<String> value =
          switch (kind) {
            case "env" -> resolver.env(name);
            case "file" -> resolver.file(name).map(HeraldFile::withoutFinalNewline);
            default -> {
              errorAt(
                  path,
                  prefix,
                  "unknown reference ${" + kind + ":...}; use ${env:NAME} or ${file:path}");
              yield Optional.of("");
            }
          };
      if (value.isEmpty()) {
        errorAt(
            path,
            prefix,
            kind.equals("env")
                ? "${env:" + name + "}: environment variable " + name + " is not set"
                : "${file:" + name + "}: file " + name + " cannot be read");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value.orElse("")));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String withoutFinalNewline(String text) {
    return text.endsWith("\r\n")
        ? text.substring(0, text.length() - 2)
        : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
  }

  /** Every rule's bus and targets must be declared for this environment. */
  private void checkReferences(
      ObjectNode merged, ObjectNode envs, Optional<String> environment, String prefix) {
    JsonNode targets = merged.path("targets");
    JsonNode buses = merged.path("buses");
    merged
        .path("rules")
        .fields()
        .forEachRemaining(
            r -> {
              String name = r.getKey();
              int slash = name.indexOf('/');
              String bus = slash > 0 ? name.substring(0, slash) : "";
              if (slash > 0 && !bus.equals(DEFAULT_BUS) && !buses.has(bus)) {
                errorAt(
                    "rules." + name,
                    prefix,
                    "unknown bus \"" + bus + "\"" + elsewhere(envs, "buses", bus, environment));
              }
              JsonNode list = r.getValue().path("targets");
              for (int i = 0; i < list.size(); i++) {
                JsonNode target = list.get(i).path("target");
                if (target.isTextual() && !targets.has(target.asText())) {
                  errorAt(
                      "rules." + name + ".targets[" + i + "].target",
                      prefix,
                      "unknown target \""
                          + target.asText()
                          + "\""
                          + elsewhere(envs, "targets", target.asText(), environment));
                }
              }
            });
  }

  /** A hint when an object is declared only in other environments. */
  private static String elsewhere(
      ObjectNode envs, String kind, String name, Optional<String> environment) {
    List<String> where = new ArrayList<>();
    envs.fields()
        .forEachRemaining(
            e -> {
              if (!Optional.of(e.getKey()).equals(environment)
                  && e.getValue().path(kind).has(name)) {
                where.add(e.getKey());
              }
            });
    if (where.isEmpty()) {
      return "";
    }
    return " (declared only in environment"
        + (where.size() > 1 ? "s " : " ")
        + String.join(", ", where)
        + (environment.isPresent() ? ", not in " + environment.get() : "")
        + ")";
  }

  private void error(String path, String message) {
    YamlTree.Location at = locate(path, "");
    errors.add(new FileError(file, at.line(), at.column(), path, message));
  }

  /** An error at a path of the merged tree, placed where the overlay or the base wrote it. */
  private void errorAt(String path, String prefix, String message) {
    YamlTree.Location at = locate(path, prefix);
    errors.add(new FileError(file, at.line(), at.column(), path, message));
  }

  /** The place of the longest part of {@code path} written in the overlay or else the base. */
  private YamlTree.Location locate(String path, String overlayPrefix) {
    String p = path;
    while (true) {
      if (!overlayPrefix.isEmpty()) {
        YamlTree.Location o = tree.locations.get(overlayPrefix + p);
        if (o != null) {
          return o;
        }
      }
      YamlTree.Location b = tree.locations.get(p);
      if (b != null) {
        return b;
      }
      if (p.isEmpty()) {
        return new YamlTree.Location(1, 1);
      }
      p = parent(p);
    }
  }

  /** {@code a.b[2]} to {@code a.b}, {@code a.b} to {@code a}, {@code a} to the root. */
  private static String parent(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return cut < 0 ? "" : path.substring(0, cut);
  }

  /** The environments a herald.yaml declares (none when it cannot be read). */
  public static List<String> environments(String text) {
    try {
      JsonNode envs = YamlTree.parse(text).root.path("environments");
      List<String> names = new ArrayList<>();
      envs.fieldNames().forEachRemaining(names::add);
      return names;
    } catch (YamlTree.SyntaxError e) {
      return List.of();
    }
  }
}
