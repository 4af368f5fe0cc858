package dev.herald.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** {@code -o table|json|yaml} and reading a body from a file or stdin. Stateless. */
final class Output {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  enum Format {
    table,
    json,
    yaml
  }

  /** The {@code -o} option, mixed into the commands that print objects. */
  static final class OutputOption {
    @Option(
        names = {"-o", "--output"},
        defaultValue = "table",
        paramLabel = "FORMAT",
        description = "table (default), json or yaml")
    Format format;
  }

  private Output() {}

  /** Prints objects as a table with these columns, or all of them as JSON or YAML. */
  static void print(
      List<JsonNode> items, Format format, String[] headers, Function<JsonNode, String[]> row)
      throws JsonProcessingException {
    switch (format) {
      case table -> {
        List<String[]> rows = new ArrayList<>();
        rows.add(headers);
        items.forEach(item -> rows.add(row.apply(item)));
        Tables.print(rows);
      }
      case json -> {
        ArrayNode array = JSON.createArrayNode();
        items.forEach(array::add);
        System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(array));
      }
      case yaml -> {
        ArrayNode array = JSON.createArrayNode();
        items.forEach(array::add);
        System.out.print(YAML.writeValueAsString(array));
      }
    }
  }

  /** Prints one object. */
  static void printOne(
      JsonNode item, Format format, String[] headers, Function<JsonNode, String[]> row)
      throws JsonProcessingException {
    switch (format) {
      case table -> print(List.of(item), format, headers, row);
      case json ->
          System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(item));
      case yaml -> System.out.print(YAML.writeValueAsString(item));
    }
  }

  /** A body in YAML or JSON from {@code file}, or from stdin when it is {@code -} or absent. */
  static JsonNode read(Path file) throws IOException {
    String text;
    if (file == null || file.toString().equals("-")) {
      InputStream in = System.in;
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } else {
      text = Files.readString(file, StandardCharsets.UTF_8);
    }
    JsonNode body = YAML.readTree(text);
    if (body == null || !body.isObject()) {
      throw new IllegalArgumentException(
          (file == null ? "stdin" : file) + " must hold one object in YAML or JSON");
    }
    return body;
  }

  static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isMissingNode() || v.isNull() ? "" : v.asText();
  }
}
