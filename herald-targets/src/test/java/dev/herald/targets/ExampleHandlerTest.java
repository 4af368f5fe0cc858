package dev.herald.targets;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.delivery.Delivery;
import dev.herald.api.delivery.Outcome;
import dev.herald.api.delivery.Target;
import dev.herald.core.config.TargetSpecs;
import dev.herald.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example handler of {@code examples/order-handler}, loaded from the jar the build made, as an
 * operator would install it: in the plugins directory.
 */
class ExampleHandlerTest {
  /** Set by the build to the example module's artifact (see this module's pom). */
  static final String ARTIFACT = "herald.example.orderHandler";

  @TempDir static Path plugins;
  @TempDir Path work;
  static TargetContext context;

  @BeforeAll
  static void installTheExampleJar() throws Exception {
    String artifact = System.getProperty(ARTIFACT, "");
    assertThat(artifact)
        .as("system property %s (run the tests through Maven)", ARTIFACT)
        .isNotBlank()
        .doesNotContain("${");
    Plugins.install(Path.of(artifact), plugins.resolve("orders.jar"));
    context = new TargetContext(InstantSource.system(), false, Set.of(), plugins);
  }

  @AfterEach
  void clearAuditFile() {
    System.clearProperty("order.audit.file");
  }

  Target orderAudit(Path auditFile) {
    System.setProperty("order.audit.file", auditFile.toString());
    ObjectNode spec = Json.object().put("type", "function");
    spec.putObject("function")
        .put("handler", "com.example.orders.OrderAuditHandler")
        .put("jar", "orders.jar");
    return Targets.create(TargetSpecs.parse("order-audit", spec), context);
  }

  static Delivery delivery(String id, String detail, int attempt, Instant deadline) {
    String envelope =
        """
        {"version":"0","id":"%s","detail-type":"OrderPlaced","source":"shop.orders",\
        "account":"000000000000","time":"2026-01-02T03:04:05Z","region":"local",\
        "resources":[],"detail":%s}"""
            .formatted(id, detail);
    return new Delivery(
        "dk-" + id,
        id,
        "all-orders",
        attempt,
        envelope.getBytes(UTF_8),
        true,
        Optional.empty(),
        deadline);
  }

  @Test
  void orderAuditHandlerWritesOneLinePerOrderEventWithTheAttemptAndDeliveryKey() throws Exception {
    Path audit = work.resolve("audit.log");
    Instant deadline = Instant.now().plusSeconds(10);
    try (Target target = orderAudit(audit)) {
      assertThat(target.deliver(delivery("evt-1", "{\"orderId\": \"o-1\"}", 1, deadline)))
          .isEqualTo(new Outcome.Delivered());
      assertThat(target.deliver(delivery("evt-2", "{\"orderId\": 42, \"total\": 5}", 2, deadline)))
          .isEqualTo(new Outcome.Delivered());
    }
    assertThat(Files.readAllLines(audit))
        .containsExactly(
            String.join("\t", "evt-1", "OrderPlaced", "o-1", "1", "dk-evt-1", deadline.toString()),
            String.join("\t", "evt-2", "OrderPlaced", "42", "2", "dk-evt-2", deadline.toString()));
  }

  @Test
  void orderAuditHandlerDeadLettersAnEventWithoutAnOrderId() throws Exception {
    Path audit = work.resolve("audit.log");
    try (Target target = orderAudit(audit)) {
      Outcome outcome =
          target.deliver(delivery("evt-3", "{\"total\": 5}", 1, Instant.now().plusSeconds(10)));
      assertThat(outcome)
          .isEqualTo(
              new Outcome.Permanent("PermanentFailure", "event evt-3 has no detail.orderId"));
    }
    assertThat(Files.readAllLines(audit)).isEmpty();
  }
}
