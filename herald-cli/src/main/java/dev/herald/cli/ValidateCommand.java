package dev.herald.cli;

import dev.herald.core.config.file.FileError;
import dev.herald.core.config.file.HeraldFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code herald validate -f herald.yaml [--env E]}: checks the file without a server. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check a herald.yaml: syntax, keys, references, secrets, ${env:} and ${file:}.",
      "Without --env, every environment it declares (or the base when it declares none).",
      "Exit 0 valid; 1 with every error as file:line:column: path: message."
    })
final class ValidateCommand implements Callable<Integer> {
  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "FILE",
      description = "The herald.yaml")
  Path file;

  @Option(names = "--env", paramLabel = "ENV", description = "The environment to check")
  String env;

  @Override
  public Integer call() {
    String text = ConfigFiles.read(file);
    List<Optional<String>> envs = new ArrayList<>();
    if (env != null) {
      envs.add(Optional.of(env));
    } else {
      HeraldFile.environments(text).forEach(e -> envs.add(Optional.of(e)));
      if (envs.isEmpty()) {
        envs.add(Optional.empty());
      }
    }
    Set<String> errors = new LinkedHashSet<>();
    for (Optional<String> e : envs) {
      HeraldFile.Loaded loaded =
          HeraldFile.load(file.toString(), text, e, ConfigFiles.resolver(file));
      for (FileError error : loaded.errors()) {
        errors.add(error + e.map(name -> " [env " + name + "]").orElse(""));
      }
    }
    if (!errors.isEmpty()) {
      errors.forEach(System.err::println);
      return 1;
    }
    System.out.println(
        file
            + " is valid"
            + (envs.getFirst().isPresent()
                ? " for " + String.join(", ", envs.stream().map(Optional::orElseThrow).toList())
                : ""));
    return 0;
  }
}
