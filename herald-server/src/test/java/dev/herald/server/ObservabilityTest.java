package dev.herald.server;

import static dev.herald.server.TestHerald.get;
import static dev.herald.server.TestHerald.postJson;
import static dev.herald.server.TestHerald.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What an operator sees of a running Herald after a delivery, a failure and a dead letter: every
 * metric the README documents and every metric the Grafana dashboard and the alert rules use is in
 * {@code /metrics}, with the labels they select; the failure is a JSON log line with the delivery's
 * ids.
 */
class ObservabilityTest {
  static final Path ROOT = Path.of("..");
  private static final Herald herald = TestHerald.shared();
  private static final String id = UUID.randomUUID().toString().substring(0, 8);
  private static final String OK = "obs-ok-" + id;
  private static final String FLAKY = "obs-flaky-" + id;
  private static final String BAD = "obs-bad-" + id;
  private static final Logger failureLogger =
      (Logger) LoggerFactory.getLogger("dev.herald.engine.delivery.FailureLog");
  private static final ListAppender<ILoggingEvent> failureLines = new ListAppender<>();
  private static Receiver ok;
  private static Receiver flaky;
  private static Receiver bad;
  private static String flakyEventId;

  @BeforeAll
  static void deliverFailAndDeadLetter() {
    failureLines.start();
    failureLogger.addAppender(failureLines);
    ok = new Receiver(() -> 204);
    AtomicInteger flakyCalls = new AtomicInteger();
    flaky = new Receiver(() -> flakyCalls.incrementAndGet() == 1 ? 503 : 204);
    bad = new Receiver(() -> 400);
    webhook(OK, ok.url());
    webhook(FLAKY, flaky.url());
    webhook(BAD, bad.url());
    publish(OK);
    flakyEventId = publish(FLAKY);
    publish(BAD);
    // an entry refused, for the rejects' series
    postJson(herald, "{'entries':[{'source':'" + OK + "','detailType':'T'}]}");
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              String text = metrics();
              return text.contains(series("herald_delivery_attempts_total", OK, "Delivered"))
                  && text.contains(series("herald_delivery_attempts_total", FLAKY, "Retrying"))
                  && text.contains(series("herald_delivery_attempts_total", FLAKY, "Delivered"))
                  && text.contains(series("herald_delivery_attempts_total", BAD, "DeadLettered"))
                  && Pattern.compile(
                          "(?m)^herald_target_dead_letters\\{target=\"" + BAD + "\"} 1\\.0$")
                      .matcher(text)
                      .find();
            });
  }

  @AfterAll
  static void stop() {
    failureLogger.detachAppender(failureLines);
    ok.close();
    flaky.close();
    bad.close();
  }

  private static String series(String name, String target, String result) {
    return name + "{result=\"" + result + "\",target=\"" + target + "\"}";
  }

  private static void webhook(String name, String url) {
    var target =
        put(
            herald,
            "/v1/targets/" + name,
            "{'type':'webhook','webhook':{'url':'"
                + url
                + "'},'retry':{'maxAttempts':3,'maxEventAgeSeconds':600,"
                + "'backoff':{'initialMs':50,'multiplier':2.0,'maxMs':200}},"
                + "'circuit':{'enabled':false}}");
    assertThat(target.status()).as(String.valueOf(target.body())).isEqualTo(200);
    var rule =
        put(
            herald,
            "/v1/buses/default/rules/" + name,
            "{'pattern':{'source':['" + name + "']},'targets':[{'target':'" + name + "'}]}");
    assertThat(rule.status()).as(String.valueOf(rule.body())).isEqualTo(200);
  }

  private static String publish(String source) {
    var answer =
        postJson(
            herald, "{'entries':[{'source':'" + source + "','detailType':'T','detail':{'n':1}}]}");
    return answer.body().at("/entries/0/eventId").asText();
  }

  static String metrics() {
    var answer = get(herald, "/metrics");
    assertThat(answer.status()).isEqualTo(200);
    return new String(answer.raw().body(), StandardCharsets.UTF_8);
  }

  /** Whether {@code text} has a series of {@code name} (a histogram's through its suffixes). */
  static boolean hasSeries(String text, String name) {
    return Pattern.compile("(?m)^" + name + "(_bucket|_count|_sum|_max)?[{ ]").matcher(text).find();
  }

  @Test
  void everyMetricTheReadmeDocumentsIsInMetrics() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    Matcher rows = Pattern.compile("(?m)^\\| `([a-z_]+)` \\|").matcher(readme);
    Set<String> documented = new LinkedHashSet<>();
    while (rows.find()) {
      documented.add(rows.group(1));
    }
    assertThat(documented)
        .as("the README's metrics table")
        .hasSizeGreaterThan(25)
        .contains(
            "herald_delivery_attempt_latency_seconds",
            "herald_delivery_end_to_end_latency_seconds",
            "herald_target_backlog",
            "herald_target_retries_scheduled",
            "herald_target_dead_letters",
            "herald_router_lag",
            "herald_engine_up",
            "herald_store_up");
    String text = metrics();
    assertThat(documented).allSatisfy(name -> assertThat(hasSeries(text, name)).as(name).isTrue());
  }

  @Test
  void everyMetricTheDashboardAndTheAlertsUseIsInMetricsWithTheLabelsTheySelect()
      throws IOException {
    List<String> expressions = new java.util.ArrayList<>();
    JsonNode dashboard =
        new ObjectMapper().readTree(ROOT.resolve("deploy/grafana/herald.json").toFile());
    dashboard.findValues("expr").forEach(e -> expressions.add(e.asText()));
    dashboard.findValues("definition").forEach(e -> expressions.add(e.asText()));
    Matcher exprs =
        Pattern.compile("(?m)^\\s*expr: (.+)$")
            .matcher(Files.readString(ROOT.resolve("deploy/prometheus/alerts.yml")));
    while (exprs.find()) {
      expressions.add(exprs.group(1));
    }
    assertThat(expressions).hasSizeGreaterThan(25);

    String text = metrics();
    Pattern selector = Pattern.compile("\\b((?:herald|jvm|process)_[a-z0-9_]+)\\b(?:\\{([^}]*)})?");
    Set<String> checked = new LinkedHashSet<>();
    for (String expression : expressions) {
      Matcher m = selector.matcher(expression);
      while (m.find()) {
        String name = m.group(1);
        assertThat(hasSeries(text, name)).as(name + " in " + expression).isTrue();
        checked.add(name);
        for (Map.Entry<String, String> label : equalityMatchers(m.group(2)).entrySet()) {
          String wanted = label.getKey() + "=\"" + label.getValue() + "\"";
          assertThat(
                  Pattern.compile("(?m)^" + name + "\\{[^}]*" + Pattern.quote(wanted))
                      .matcher(text)
                      .find())
              .as(name + "{" + wanted + "} in " + expression)
              .isTrue();
        }
      }
    }
    assertThat(checked)
        .contains(
            "herald_delivery_attempts_total",
            "herald_target_backlog",
            "herald_target_circuit_state",
            "herald_target_dead_letters",
            "herald_engine_up",
            "herald_store_up",
            "herald_ingest_entries_rejected_total");
  }

  /** The {@code label="value"} matchers of a selector (not {@code =~}, {@code !=}). */
  private static Map<String, String> equalityMatchers(String selector) {
    Map<String, String> found = new java.util.HashMap<>();
    if (selector == null) {
      return found;
    }
    Matcher m = Pattern.compile("([a-z_]+)=\"([^\"$]*)\"").matcher(selector);
    while (m.find()) {
      found.put(m.group(1), m.group(2));
    }
    return found;
  }

  @Test
  void labelledSeriesCountTheDeliveryTheFailureAndTheDeadLetter() {
    String text = metrics();
    assertThat(text)
        .containsPattern(
            "(?m)^herald_delivery_end_to_end_latency_seconds_count\\{target=\"" + OK + "\"} 1$")
        .containsPattern(
            "(?m)^herald_delivery_attempt_latency_seconds_count\\{target=\"" + FLAKY + "\"} 2$")
        .containsPattern(
            "(?m)^herald_delivery_attempt_latency_seconds_bucket\\{target=\""
                + FLAKY
                + "\",le=\"60\\.0\"} 2$")
        .containsPattern("(?m)^herald_target_backlog\\{target=\"" + OK + "\"} ")
        .containsPattern("(?m)^herald_target_retries_scheduled\\{target=\"" + FLAKY + "\"} ")
        .containsPattern("(?m)^herald_router_lag\\{bus=\"default\"} ")
        .containsPattern("(?m)^herald_engine_up 1\\.0$")
        .containsPattern("(?m)^herald_store_up 1\\.0$")
        .containsPattern("(?m)^herald_ingest_entries_accepted_total\\{bus=\"default\"} [1-9]")
        .containsPattern(
            "(?m)^herald_ingest_entries_rejected_total\\{bus=\"default\",code=\"MissingField\"} [1-9]");
  }

  @Test
  void aFailedAttemptIsOneJsonLineWithTheDeliveryIdsTheCodeAndTheNextAttempt() throws Exception {
    ILoggingEvent line =
        failureLines.list.stream()
            .filter(e -> flakyEventId.equals(e.getMDCPropertyMap().get("eventId")))
            .findFirst()
            .orElseThrow();
    LogstashEncoder encoder = new LogstashEncoder();
    encoder.setContext(failureLogger.getLoggerContext());
    encoder.start();
    JsonNode json = new ObjectMapper().readTree(encoder.encode(line));
    encoder.stop();

    assertThat(json.get("level").asText()).isEqualTo("WARN");
    assertThat(json.get("message").asText())
        .startsWith("delivery to " + FLAKY + " failed (attempt 1): HttpStatus503");
    assertThat(json.get("target").asText()).isEqualTo(FLAKY);
    assertThat(json.get("rule").asText()).isEqualTo(FLAKY);
    assertThat(json.get("bus").asText()).isEqualTo("default");
    assertThat(json.get("attempt").asText()).isEqualTo("1");
    assertThat(json.get("deliveryKey").asText()).isNotBlank();
    assertThat(json.get("traceId").asText()).matches("[0-9a-f]{32}");
    assertThat(json.get("code").asText()).isEqualTo("HttpStatus503");
    assertThat(json.get("nextAttemptAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
  }
}
