package dev.herald.targets.internal.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

/**
 * The settings of a {@code function} target, checked: {@code handler} is a class name, {@code jar}
 * a path relative to the plugins directory (or to the data directory, as {@code plugins/x.jar})
 * that stays inside it and names a readable jar. Errors name the field ({@code function.jar},
 * {@code function.handler}).
 *
 * @param handler the binary name of the handler class, e.g. {@code com.acme.OrderMailer}
 * @param jar the jar's absolute, normalized path, inside the plugins directory
 * @param jarName the jar as configured, for messages
 */
record FunctionSettings(String handler, Path jar, String jarName) {
  static final String HANDLER = "function.handler";
  static final String JAR = "function.jar";

  private static final Pattern CLASS_NAME =
      Pattern.compile(
          "\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*"
              + "(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*");

  static FunctionSettings parse(ObjectNode settings, Path pluginsDir) {
    String handler = requiredText(settings, "handler", HANDLER);
    if (!CLASS_NAME.matcher(handler).matches()) {
      throw invalid(
          HANDLER,
          HANDLER + " must be a class name like com.acme.OrderMailer, got '" + handler + "'");
    }
    String jarName = requiredText(settings, "jar", JAR);
    return new FunctionSettings(handler, jar(jarName, pluginsDir), jarName);
  }

  private static Path jar(String name, Path pluginsDir) {
    Path relative;
    try {
      relative = Path.of(name);
    } catch (InvalidPathException e) {
      throw invalid(JAR, JAR + " is not a path: " + e.getMessage());
    }
    // API.md spells jars as in the data directory ("plugins/orders.jar"): accept that form too
    Path base =
        relative.getNameCount() > 1
                && relative.getName(0).equals(pluginsDir.getFileName())
                && pluginsDir.getParent() != null
            ? pluginsDir.getParent()
            : pluginsDir;
    Path jar = base.resolve(relative).normalize();
    if (relative.isAbsolute() || !jar.startsWith(pluginsDir) || jar.equals(pluginsDir)) {
      throw invalid(
          JAR,
          JAR
              + " must be a path inside the plugins directory "
              + pluginsDir
              + ", relative to it; got '"
              + name
              + "'");
    }
    if (!Files.isRegularFile(jar) || !Files.isReadable(jar)) {
      throw invalid(
          JAR,
          JAR
              + ": no readable file "
              + jar
              + " (function jars go in the plugins directory "
              + pluginsDir
              + ")");
    }
    try (JarFile file = new JarFile(jar.toFile())) {
      file.size(); // opened: it is a zip with a readable central directory
    } catch (IOException e) {
      throw invalid(JAR, JAR + ": " + jar + " is not a jar (" + e.getMessage() + ")");
    }
    return jar;
  }

  private static String requiredText(ObjectNode settings, String key, String field) {
    JsonNode value = settings.get(key);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw invalid(field, field + " is required and must be a string");
    }
    return value.asText().strip();
  }

  static ConfigException.Invalid invalid(String field, String message) {
    return new ConfigException.Invalid(field, message);
  }
}
