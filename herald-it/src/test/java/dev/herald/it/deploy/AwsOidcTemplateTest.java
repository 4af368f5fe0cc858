package dev.herald.it.deploy;

import static dev.herald.it.deploy.DeployTools.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/aws/github-oidc.yaml}, the CloudFormation template of GitHub's OIDC provider and
 * the roles the deploy workflow assumes: each role trusts only tokens GitHub issued for AWS STS,
 * for this one repository, and for the refs or the environment that role serves; each may do only
 * its job (push the image; read its own environment's Herald key).
 */
class AwsOidcTemplateTest {
  private static final String ISSUER = "token.actions.githubusercontent.com";
  private static final String REPO = "repo:${GitHubOrg}/${GitHubRepo}:";

  private static JsonNode resources;

  @BeforeAll
  static void read() {
    JsonNode template = DeployTools.readYaml(ROOT.resolve("deploy/aws/github-oidc.yaml"));
    assertThat(template.path("AWSTemplateFormatVersion").asText()).isEqualTo("2010-09-09");
    resources = template.path("Resources");
  }

  @Test
  void theProviderIsGitHubsAndIssuesTokensForSts() {
    JsonNode provider = resources.path("GitHubOidcProvider");
    assertThat(provider.path("Type").asText()).isEqualTo("AWS::IAM::OIDCProvider");
    assertThat(provider.path("Properties").path("Url").asText()).isEqualTo("https://" + ISSUER);
    assertThat(WorkflowsTest.texts(provider.path("Properties").path("ClientIdList")))
        .containsExactly("sts.amazonaws.com");
  }

  @Test
  void theImageRoleTrustsOnlyMainAndVersionTagsOfThisRepository() {
    JsonNode condition = trustCondition("ImageRole");
    assertThat(condition.path("StringEquals").path(ISSUER + ":aud").asText())
        .isEqualTo("sts.amazonaws.com");
    assertThat(WorkflowsTest.texts(condition.path("StringLike").path(ISSUER + ":sub")))
        .containsExactly(REPO + "ref:refs/heads/main", REPO + "ref:refs/tags/v*");
    List<String> actions = allowedActions("ImageRole");
    assertThat(actions).contains("ecr:PutImage", "ecr:GetAuthorizationToken");
    assertThat(actions).allSatisfy(a -> assertThat(a).startsWith("ecr:"));
  }

  @Test
  void eachDeployRoleTrustsExactlyItsOwnEnvironmentAndReadsOnlyItsOwnKey() {
    Map<String, String> roles =
        Map.of("dev", "DevRole", "staging", "StagingRole", "prod", "ProdRole");
    assertThat(roles.keySet()).containsExactlyInAnyOrderElementsOf(WorkflowsTest.ENVIRONMENTS);
    roles.forEach(
        (environment, role) -> {
          JsonNode condition = trustCondition(role);
          // exact matches only: no wildcard can widen a deploy role
          assertThat(condition.has("StringLike")).as(role).isFalse();
          assertThat(condition.path("StringEquals").path(ISSUER + ":aud").asText())
              .isEqualTo("sts.amazonaws.com");
          assertThat(condition.path("StringEquals").path(ISSUER + ":sub").asText())
              .isEqualTo(REPO + "environment:" + environment);
          assertThat(allowedActions(role))
              .containsExactlyInAnyOrder("secretsmanager:GetSecretValue", "eks:DescribeCluster");
          JsonNode secrets = statements(role).get(0);
          assertThat(secrets.path("Resource").asText())
              .endsWith(":secret:herald/" + environment + "/*");
        });
  }

  @Test
  void theOutputsAreTheVariablesTheWorkflowReads() throws IOException {
    String workflow = Files.readString(WorkflowsTest.WORKFLOWS.resolve("deploy.yml"));
    assertThat(workflow).contains("vars.AWS_IMAGE_ROLE_ARN", "vars.AWS_DEPLOY_ROLE_ARN");
    String template = Files.readString(ROOT.resolve("deploy/aws/github-oidc.yaml"));
    assertThat(template).contains("AWS_IMAGE_ROLE_ARN", "AWS_DEPLOY_ROLE_ARN");
  }

  private static JsonNode trustCondition(String role) {
    JsonNode trust =
        resources.path(role).path("Properties").path("AssumeRolePolicyDocument").path("Statement");
    assertThat(trust).as(role + " trust statements").hasSize(1);
    JsonNode statement = trust.get(0);
    assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
    assertThat(statement.path("Action").asText()).isEqualTo("sts:AssumeRoleWithWebIdentity");
    assertThat(statement.path("Principal").path("Federated").toString()).contains(ISSUER);
    return statement.path("Condition");
  }

  private static List<JsonNode> statements(String role) {
    List<JsonNode> statements = new ArrayList<>();
    resources
        .path(role)
        .path("Properties")
        .path("Policies")
        .forEach(p -> p.path("PolicyDocument").path("Statement").forEach(statements::add));
    return statements;
  }

  private static List<String> allowedActions(String role) {
    List<String> actions = new ArrayList<>();
    for (JsonNode statement : statements(role)) {
      assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
      actions.addAll(WorkflowsTest.texts(statement.path("Action")));
    }
    return actions;
  }
}
