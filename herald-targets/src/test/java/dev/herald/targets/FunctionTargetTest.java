package dev.herald.targets;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.api.delivery.Delivery;
import dev.herald.api.delivery.Outcome;
import dev.herald.api.delivery.Target;
import dev.herald.core.config.ConfigException;
import dev.herald.core.config.TargetSpecs;
import dev.herald.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FunctionTargetTest {
  @TempDir static Path plugins;
  static TargetContext context;

  @BeforeAll
  static void buildPlugins() throws Exception {
    Plugins.compile(TestHandlers.SOURCES, plugins.resolve("handlers.jar"));
    Files.writeString(plugins.resolve("notes.jar"), "not a zip");
    context = new TargetContext(InstantSource.system(), false, Set.of(), plugins);
  }

  @BeforeEach
  void reset() {
    FunctionProbe.reset();
  }

  static Target function(String name, String handler, String jar, int concurrency) {
    ObjectNode spec = Json.object().put("type", "function");
    spec.putObject("function").put("handler", handler).put("jar", jar);
    spec.putObject("concurrency").put("max", concurrency);
    return Targets.create(TargetSpecs.parse(name, spec), context);
  }

  static Target function(String handler) {
    return function("orders-fn", handler, "handlers.jar", 4);
  }

  static String envelope(String detail) {
    return """
        {"version":"0","id":"evt-1","detail-type":"OrderPlaced","source":"shop.orders",\
        "account":"000000000000","time":"2026-01-02T03:04:05Z","region":"local",\
        "resources":["arn:shop:order/o-1"],"detail":%s}"""
        .formatted(detail);
  }

  static Delivery delivery(String detail, int attempt, Duration timeout) {
    return new Delivery(
        "dk-1",
        "evt-1",
        "big-orders",
        attempt,
        envelope(detail).getBytes(UTF_8),
        true,
        Optional.empty(),
        Instant.now().plus(timeout));
  }

  static Delivery delivery(String detail) {
    return delivery(detail, 1, Duration.ofSeconds(10));
  }

  @Test
  void handlerSeesTheEnvelopeFieldsAndTheAttemptOnAThreadNamedAfterTheTarget() {
    Delivery delivery =
        delivery("{\"orderId\": \"o-1\", \"total\": 42.5}", 3, Duration.ofSeconds(9));
    try (Target target = function("fn.Recording")) {
      assertThat(target.deliver(delivery)).isEqualTo(new Outcome.Delivered());
    }
    FunctionProbe.Call call = FunctionProbe.calls().getFirst();
    var event = call.event();
    assertThat(event.id()).isEqualTo("evt-1");
    assertThat(event.source()).contains("shop.orders");
    assertThat(event.detailType()).contains("OrderPlaced");
    assertThat(event.time()).contains(Instant.parse("2026-01-02T03:04:05Z"));
    assertThat(event.resources()).containsExactly("arn:shop:order/o-1");
    assertThat(event.detail()).contains("{\"orderId\":\"o-1\",\"total\":42.5}");
    assertThat(event.replayName()).isEmpty();
    assertThat(event.json()).isTrue();
    assertThat(event.inputText()).isEqualTo(new String(delivery.input(), UTF_8));
    var context = call.context();
    assertThat(context.target()).isEqualTo("orders-fn");
    assertThat(context.rule()).isEqualTo("big-orders");
    assertThat(context.eventId()).isEqualTo("evt-1");
    assertThat(context.deliveryKey()).isEqualTo("dk-1");
    assertThat(context.attempt()).isEqualTo(3);
    assertThat(context.deadline()).isEqualTo(delivery.deadline());
    assertThat(call.thread()).startsWith("herald-fn-orders-fn-");
  }

  @Test
  void shapedInputReachesTheHandlerAsItIsWithTheEventIdOnly() {
    Delivery shaped =
        new Delivery(
            "dk-2",
            "evt-2",
            "big-orders",
            1,
            "order o-2 placed".getBytes(UTF_8),
            false,
            Optional.empty(),
            Instant.now().plusSeconds(10));
    try (Target target = function("fn.Recording")) {
      assertThat(target.deliver(shaped)).isEqualTo(new Outcome.Delivered());
    }
    var event = FunctionProbe.calls().getFirst().event();
    assertThat(event.id()).isEqualTo("evt-2");
    assertThat(event.inputText()).isEqualTo("order o-2 placed");
    assertThat(event.json()).isFalse();
    assertThat(event.source()).isEmpty();
    assertThat(event.detail()).isEmpty();
  }

  @Test
  void handlerLogsThroughItsContextLoggerWithTheDeliveryIdsAttached() {
    try (LogCapture log = new LogCapture("herald.function.orders-fn");
        Target target = function("fn.Recording")) {
      target.deliver(delivery("{}"));
      ILoggingEvent line = log.events().getFirst();
      assertThat(line.getLevel()).isEqualTo(Level.INFO);
      assertThat(line.getFormattedMessage()).isEqualTo("handled evt-1");
      assertThat(line.getMDCPropertyMap())
          .containsEntry("target", "orders-fn")
          .containsEntry("rule", "big-orders")
          .containsEntry("eventId", "evt-1")
          .containsEntry("deliveryKey", "dk-1");
    }
  }

  @Test
  void handlerIsCreatedOnceAndKeptWarmAcrossDeliveries() {
    try (Target target = function("fn.Recording")) {
      for (int i = 0; i < 3; i++) {
        assertThat(target.deliver(delivery("{}"))).isEqualTo(new Outcome.Delivered());
      }
      assertThat(FunctionProbe.notes()).containsExactly("constructed");
    }
    List<FunctionProbe.Call> calls = FunctionProbe.calls();
    assertThat(calls).hasSize(3);
    assertThat(calls).allSatisfy(c -> assertThat(c.handler()).isSameAs(calls.getFirst().handler()));
  }

  @Test
  void closingTheTargetClosesTheHandler() {
    Target target = function("fn.Recording");
    target.deliver(delivery("{}"));
    target.close();
    assertThat(FunctionProbe.notes()).containsExactly("constructed", "closed");
  }

  @Test
  void permanentExceptionMakesADeadLetterWithItsMessage() {
    try (Target target = function("fn.Refusing")) {
      assertThat(target.deliver(delivery("{}")))
          .isEqualTo(new Outcome.Permanent("PermanentFailure", "order o-1 was cancelled"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"state\": \"down\"}", "{\"state\": \"busy\"}"})
  void anyOtherExceptionIsRetriedAsFunctionError(String detail) {
    try (Target target = function("fn.Failing")) {
      assertThat(target.deliver(delivery(detail)))
          .isInstanceOfSatisfying(
              Outcome.Retry.class,
              r -> {
                assertThat(r.code()).isEqualTo("FunctionError");
                assertThat(r.message()).containsAnyOf("mail server down", "mail server busy");
                assertThat(r.retryAfter()).isEmpty();
              });
    }
  }

  @Test
  void handlerPastTheDeadlineIsInterruptedAndRetriedAsTimeoutAndTheNextDeliveryRuns() {
    try (Target target = function("slow-fn", "fn.Sleeping", "handlers.jar", 1)) {
      long started = System.nanoTime();
      Outcome late = target.deliver(delivery("{\"mode\": \"slow\"}", 1, Duration.ofMillis(300)));
      assertThat(late)
          .isInstanceOfSatisfying(
              Outcome.Retry.class, r -> assertThat(r.code()).isEqualTo("Timeout"));
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
      assertThat(target.deliver(delivery("{}"))).isEqualTo(new Outcome.Delivered());
      assertThat(FunctionProbe.notes()).containsExactly("interrupted");
    }
  }

  @Test
  void handlerIgnoringInterruptsIsReplacedUntilEveryThreadIsStuck() {
    try (LogCapture log = new LogCapture("dev.herald.targets.internal.function.HandlerPool");
        Target target = function("stubborn-fn", "fn.Stubborn", "handlers.jar", 1)) {
      Duration short_ = Duration.ofMillis(300);
      assertThat(target.deliver(delivery("{\"mode\": \"stuck\"}", 1, short_)))
          .isInstanceOfSatisfying(
              Outcome.Retry.class, r -> assertThat(r.code()).isEqualTo("Timeout"));
      await().atMost(Duration.ofSeconds(5)).until(() -> log.messages(Level.WARN).size() == 1);
      assertThat(log.messages(Level.WARN).getFirst())
          .contains("stubborn-fn", "herald-fn-stubborn-fn-1", "started a replacement");
      // the replacement thread takes the next delivery
      assertThat(target.deliver(delivery("{}"))).isEqualTo(new Outcome.Delivered());

      assertThat(target.deliver(delivery("{\"mode\": \"stuck\"}", 1, short_)))
          .isInstanceOf(Outcome.Retry.class);
      await().atMost(Duration.ofSeconds(5)).until(() -> log.messages(Level.WARN).size() == 2);
      // every thread is stuck: answered at once, the handler is not called
      Outcome refused = target.deliver(delivery("{}"));
      assertThat(refused)
          .isInstanceOfSatisfying(
              Outcome.Retry.class,
              r -> {
                assertThat(r.code()).isEqualTo("Timeout");
                assertThat(r.message()).contains("stuck");
              });
      assertThat(FunctionProbe.calls()).hasSize(1);

      FunctionProbe.release();
      await().atMost(Duration.ofSeconds(5)).until(() -> log.messages(Level.INFO).size() == 2);
      assertThat(target.deliver(delivery("{}"))).isEqualTo(new Outcome.Delivered());
    }
  }

  @Test
  void missingJarIsRefusedNamingTheJarField() {
    assertInvalid(() -> function("orders-fn", "fn.Recording", "orders.jar", 1), "function.jar")
        .contains("orders.jar");
  }

  @Test
  void jarMayBeNamedRelativeToTheDataDirectoryAsApiMdWritesIt() {
    String asInDataDir = plugins.getFileName() + "/handlers.jar";
    try (Target target = function("orders-fn", "fn.Recording", asInDataDir, 1)) {
      assertThat(target.deliver(delivery("{}", 1, Duration.ofSeconds(5))))
          .isInstanceOf(Outcome.Delivered.class);
    }
  }

  @Test
  void fileThatIsNotAJarIsRefused() {
    assertInvalid(() -> function("orders-fn", "fn.Recording", "notes.jar", 1), "function.jar")
        .contains("not a jar");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x.jar", "a/../../x.jar", "/tmp/x.jar", "."})
  void jarPathOutsideThePluginsDirectoryIsRefused(String jar) {
    assertInvalid(() -> function("orders-fn", "fn.Recording", jar, 1), "function.jar")
        .contains("inside the plugins directory");
  }

  @Test
  void unknownHandlerClassIsRefusedNamingTheHandlerField() {
    assertInvalid(() -> function("fn.Missing"), "function.handler")
        .contains("fn.Missing is not a class in handlers.jar");
  }

  @Test
  void classNotImplementingEventHandlerIsRefused() {
    assertInvalid(() -> function("fn.NotAHandler"), "function.handler")
        .contains("does not implement dev.herald.api.EventHandler");
  }

  @Test
  void handlerWithoutAPublicNoArgumentConstructorIsRefused() {
    assertInvalid(() -> function("fn.NeedsArgument"), "function.handler")
        .contains("no public constructor without parameters");
  }

  @Test
  void handlerWhoseConstructorThrowsIsRefusedWithTheCause() {
    assertInvalid(() -> function("fn.BrokenConstructor"), "function.handler")
        .contains("MAIL_SERVER is not set");
  }

  @Test
  void classOfHeraldItselfIsRefused() {
    assertInvalid(() -> function("dev.herald.targets.FunctionProbe"), "function.handler")
        .contains("a class of Herald itself");
  }

  static org.assertj.core.api.AbstractStringAssert<?> assertInvalid(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable create, String field) {
    var thrown = assertThatThrownBy(create).isInstanceOf(ConfigException.Invalid.class);
    thrown.extracting(e -> ((ConfigException.Invalid) e).field()).isEqualTo(field);
    return thrown.message();
  }
}
