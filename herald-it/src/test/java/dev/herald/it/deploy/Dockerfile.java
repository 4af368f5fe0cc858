package dev.herald.it.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code deploy/docker/Dockerfile} read the way {@code docker build} reads it: instructions joined
 * over {@code \} line ends, comments and parser directives dropped, grouped in stages by {@code
 * FROM}. The tests lay out the runtime stage from these instructions instead of from a second copy
 * of them, so that the file and its check cannot drift apart.
 */
record Dockerfile(List<Dockerfile.Stage> stages) {
  static final Path PATH = DeployTools.ROOT.resolve("deploy/docker/Dockerfile");

  /** One instruction: its keyword (upper case) and the rest of the line. */
  record Instruction(String keyword, String arguments) {}

  /** The instructions from one {@code FROM} to the next. */
  record Stage(String from, Optional<String> name, List<Instruction> instructions) {
    List<String> all(String keyword) {
      return instructions.stream()
          .filter(i -> i.keyword().equals(keyword))
          .map(Instruction::arguments)
          .toList();
    }

    /** The last value of a single-valued instruction (USER, WORKDIR, ENTRYPOINT, CMD). */
    Optional<String> last(String keyword) {
      List<String> values = all(keyword);
      return values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
    }

    /** ENV as a map ({@code ENV A=1 B=2} form). */
    Map<String, String> env() {
      Map<String, String> env = new LinkedHashMap<>();
      for (String arguments : all("ENV")) {
        for (String pair : arguments.trim().split("\\s+")) {
          int eq = pair.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException("ENV needs NAME=value pairs: " + arguments);
          }
          env.put(pair.substring(0, eq), unquote(pair.substring(eq + 1)));
        }
      }
      return env;
    }
  }

  static Dockerfile read() {
    try {
      return parse(Files.readAllLines(PATH));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Dockerfile parse(List<String> lines) {
    List<String> logical = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : lines) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
        continue; // comments (and directives such as # syntax=) and blank lines
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      logical.add(current.toString().strip());
      current.setLength(0);
    }
    List<Stage> stages = new ArrayList<>();
    for (String instruction : logical) {
      int space = instruction.indexOf(' ');
      String keyword = instruction.substring(0, space).toUpperCase(java.util.Locale.ROOT);
      String arguments = instruction.substring(space + 1).strip();
      if (keyword.equals("FROM")) {
        String[] parts = arguments.split("\\s+");
        Optional<String> name =
            parts.length == 3 && parts[1].equalsIgnoreCase("AS")
                ? Optional.of(parts[2])
                : Optional.empty();
        stages.add(new Stage(parts[0], name, new ArrayList<>()));
      } else {
        if (stages.isEmpty()) {
          throw new IllegalArgumentException(keyword + " before the first FROM");
        }
        stages.get(stages.size() - 1).instructions().add(new Instruction(keyword, arguments));
      }
    }
    return new Dockerfile(List.copyOf(stages));
  }

  Stage stage(String name) {
    return stages.stream()
        .filter(s -> s.name().equals(Optional.of(name)))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no stage named " + name));
  }

  /** The last stage: what the image is. */
  Stage runtime() {
    return stages.get(stages.size() - 1);
  }

  /** The numeric user id of the runtime stage's {@code USER uid:gid}. */
  int runtimeUid() {
    String user = runtime().last("USER").orElseThrow(() -> new IllegalStateException("no USER"));
    return Integer.parseInt(user.split(":")[0]);
  }

  int runtimeGid() {
    String user = runtime().last("USER").orElseThrow(() -> new IllegalStateException("no USER"));
    return Integer.parseInt(user.split(":")[1]);
  }

  /** An exec-form list (["a", "b"]) as its items. */
  static List<String> execForm(String arguments) {
    String body = arguments.strip();
    if (!body.startsWith("[") || !body.endsWith("]")) {
      throw new IllegalArgumentException("not in exec form: " + arguments);
    }
    List<String> items = new ArrayList<>();
    for (String item : body.substring(1, body.length() - 1).split(",")) {
      items.add(unquote(item.strip()));
    }
    return items;
  }

  private static String unquote(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1)
        : value;
  }
}
