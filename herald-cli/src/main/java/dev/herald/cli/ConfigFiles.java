package dev.herald.cli;

import dev.herald.core.config.file.HeraldFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/** Reads a herald.yaml from disk: {@code ${file:path}} relative to the file's folder. */
final class ConfigFiles {
  /** Where {@code ${env:NAME}} is looked up; the process environment (tests set their own). */
  static Function<String, String> environment = System::getenv;

  private ConfigFiles() {}

  /** The file's text, or a clear error naming it. */
  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read " + file + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
    }
  }

  static HeraldFile.Loaded load(Path file, Optional<String> env) {
    return HeraldFile.load(file.toString(), read(file), env, resolver(file));
  }

  static HeraldFile.Resolver resolver(Path file) {
    Path folder = file.toAbsolutePath().getParent();
    return new HeraldFile.Resolver() {
      @Override
      public Optional<String> env(String name) {
        return Optional.ofNullable(environment.apply(name));
      }

      @Override
      public Optional<String> file(String path) {
        try {
          return Optional.of(Files.readString(folder.resolve(path), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
          return Optional.empty();
        }
      }
    };
  }
}
