package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The alert rules ({@code deploy/prometheus/alerts.yml}) pass {@code promtool check rules}, and
 * {@code promtool test rules} shows each alert firing on the series that should fire it ({@code
 * deploy/prometheus/alerts_test.yml}). promtool comes with Debian's {@code prometheus} package
 * ({@code .ci/run} installs it). Without it these tests are skipped on a developer's machine and
 * fail under CI (the environment variable {@code CI} set, as CI sets it).
 */
class AlertRulesTest {
  private static final Path RULES = ObservabilityTest.ROOT.resolve("deploy/prometheus");

  @Test
  void theAlertRulesPassPromtoolCheckRules() throws Exception {
    String out = promtool("check", "rules", RULES.resolve("alerts.yml").toString());
    assertThat(out).contains("SUCCESS");
  }

  @Test
  void eachAlertFiresOnTheSeriesThatShouldFireIt() throws Exception {
    String out = promtool("test", "rules", RULES.resolve("alerts_test.yml").toString());
    assertThat(out).contains("SUCCESS");
  }

  private static String promtool(String... args) throws IOException, InterruptedException {
    Path promtool = findPromtool();
    List<String> command = new java.util.ArrayList<>(List.of(promtool.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String text = new String(output, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(String.join(" ", command) + ":\n" + text).isZero();
    return text;
  }

  private static Path findPromtool() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "promtool");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    String missing =
        "promtool not found on PATH: install Debian's prometheus package (apt-get install -y"
            + " prometheus)";
    if (System.getenv("CI") != null) {
      fail(missing + "; under CI (CI set) the alert rules must be checked");
    }
    Assumptions.abort(missing);
    throw new IllegalStateException("unreachable");
  }
}
