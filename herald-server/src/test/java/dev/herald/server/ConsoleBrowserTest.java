package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.auth.KeyToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console end to end in Debian's headless Chromium (Selenium with /usr/bin/chromedriver),
 * against a real Herald whose auth is on: the key prompt on a 401, each page exercised as a user
 * would, a screenshot of each in {@code target/console-screenshots/}, a read key refused where it
 * would act, and no JavaScript error in the browser's console at any step.
 *
 * <p>Without Chromium and chromedriver the test is skipped, except under CI ({@code CI} set, as
 * .ci/run runs) or with {@code HERALD_REQUIRE_BROWSER=1}, where it fails.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
  static final KeyToken ADMIN = new KeyToken("hk_console", "console-secret-0123456789");
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SHOTS = Path.of("target", "console-screenshots");

  static Herald herald;
  static KeyClient admin;
  static String readKey;
  static Receiver receiver;
  static WebDriver browser;
  static WebDriverWait wait;
  static final AtomicInteger CALLS = new AtomicInteger();
  static final List<String> JS_ERRORS = new ArrayList<>();
  static String eventId;

  @BeforeAll
  static void start() throws IOException {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    boolean required =
        System.getenv("CI") != null || "1".equals(System.getenv("HERALD_REQUIRE_BROWSER"));
    if (!present) {
      assertThat(required)
          .as(
              "Chromium and chromedriver are required here (CI or HERALD_REQUIRE_BROWSER=1): "
                  + "apt-get install -y chromium chromium-driver")
          .isFalse();
      Assumptions.abort("no /usr/bin/chromium and /usr/bin/chromedriver: console test skipped");
    }
    Files.createDirectories(SHOTS);
    herald =
        Herald.start(
            HeraldConfig.embedded(TestHerald.tempDir()).withPort(0),
            SecuritySettings.defaults().withBootstrapKey(ADMIN));
    admin = new KeyClient(herald, ADMIN.text());
    var created = admin.post("/v1/keys", "{'name':'viewer','scopes':['read']}");
    assertThat(created.status()).isEqualTo(201);
    readKey = created.body().get("key").asText();
    // the first two calls fail (two dead letters), later ones succeed (a redrive delivers)
    receiver = new Receiver(() -> CALLS.incrementAndGet() <= 2 ? 500 : 204);
    ok(
        admin.put(
            "/v1/targets/orders-hook",
            "{'type':'webhook','webhook':{'url':'"
                + receiver.url()
                + "'},'retry':{'maxAttempts':1},'circuit':{'enabled':false}}"));
    ok(admin.put("/v1/targets/orders-log", "{'type':'log'}"));
    ok(
        admin.put(
            "/v1/buses/default/rules/orders",
            "{'pattern':{'source':['shop.orders']},"
                + "'targets':[{'target':'orders-hook'},{'target':'orders-log'}]}"));
    var published =
        admin.post(
            "/v1/events",
            "{'entries':[{'source':'shop.orders','detailType':'OrderPlaced','detail':{'orderId':'o-1'}},"
                + "{'source':'shop.orders','detailType':'OrderPlaced','detail':{'orderId':'o-2'}},"
                + "{'source':'shop.billing','detailType':'InvoiceSent','detail':{'invoice':'i-1'}}]}");
    ok(published);
    eventId = published.body().at("/entries/0/eventId").asText();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> admin.get("/v1/targets/orders-hook/dlq").body().get("entries").size() == 2);

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(20));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (herald != null) {
      herald.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  private static void ok(KeyClient.Answer answer) {
    assertThat(answer.status()).as(String.valueOf(answer.body())).isIn(200, 201);
  }

  private static String url(String hash) {
    return "http://127.0.0.1:" + herald.port() + "/console/" + hash;
  }

  private static WebElement visible(String css) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  private static void pageReady(String page) {
    wait.until(
        d -> {
          WebElement main = d.findElement(By.id("page"));
          return page.equals(main.getDomAttribute("data-page"))
              && "true".equals(main.getDomAttribute("data-ready"));
        });
  }

  private static void go(String hash, String page) {
    browser.get(url(hash));
    pageReady(page);
  }

  /** Saves a screenshot and fails on any JavaScript error the console logged so far. */
  private static void screenshot(String name) {
    Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    try {
      Files.copy(shot, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertNoJavaScriptErrors();
  }

  /**
   * JavaScript errors and console.error calls; failed network responses (the 401 that asks for a
   * key, a 403 or 404 the page shows) are logged by the browser as "Failed to load resource" and
   * are expected answers, not script errors.
   */
  private static void assertNoJavaScriptErrors() {
    for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
      if (entry.getLevel().intValue() >= Level.SEVERE.intValue()
          && !entry.getMessage().contains("Failed to load resource")) {
        JS_ERRORS.add(entry.getMessage());
      }
    }
    assertThat(JS_ERRORS).as("JavaScript errors in the browser console").isEmpty();
  }

  @Test
  @Order(1)
  void asksForAKeyOnA401ThenShowsTheTargets() {
    browser.get(url(""));
    WebElement input = visible("#key-input");
    screenshot("01-key-prompt");
    input.sendKeys(ADMIN.text());
    browser.findElement(By.id("key-submit")).click();
    WebElement table = visible("#targets");
    assertThat(table.getText()).contains("orders-hook").contains("orders-log");
    WebElement hook = browser.findElement(By.cssSelector("tr[data-target='orders-hook']"));
    assertThat(hook.getText()).contains("webhook").contains("closed");
    wait.until(
        d ->
            d.findElement(By.cssSelector("tr[data-target='orders-hook'] td:last-child"))
                .getText()
                .equals("2"));
    assertThat(browser.findElements(By.cssSelector("#charts canvas"))).isNotEmpty();
    Object stored =
        ((org.openqa.selenium.JavascriptExecutor) browser)
            .executeScript("return sessionStorage.getItem('herald.key')");
    assertThat(stored).isEqualTo(ADMIN.text());
    screenshot("02-targets");
  }

  @Test
  @Order(2)
  void showsBusesAndRulesAndTestsAPattern() {
    go("#/buses", "buses");
    WebElement rule = visible("tr[data-rule='orders']");
    assertThat(rule.getText()).contains("shop.orders").contains("orders-hook");
    rule.findElement(By.tagName("button")).click();
    assertThat(browser.findElement(By.id("tester-pattern")).getDomProperty("value"))
        .contains("shop.orders");
    browser.findElement(By.id("tester-run")).click();
    wait.until(ExpectedConditions.textToBe(By.id("tester-result"), "matches"));
    WebElement pattern = browser.findElement(By.id("tester-pattern"));
    pattern.clear();
    pattern.sendKeys("{\"source\": 5}");
    browser.findElement(By.id("tester-run")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("tester-result"), "InvalidPattern"));
    screenshot("03-buses-and-pattern-tester");
  }

  @Test
  @Order(3)
  void inspectsRedrivesAndPurgesDeadLetters() {
    go("#/dlq?target=orders-hook", "dlq");
    List<WebElement> rows = wait.until(d -> rows(d, 2));
    String first = rows.get(0).getDomAttribute("data-letter");
    String second = rows.get(1).getDomAttribute("data-letter");
    rows.get(0).findElement(By.cssSelector("button.inspect")).click();
    assertThat(visible("#dlq-detail pre").getText()).contains("HttpStatus500").contains(first);
    screenshot("04-dead-letters");

    rows.get(0).findElement(By.cssSelector("input[type=checkbox]")).click();
    browser.findElement(By.id("dlq-redrive")).click();
    wait.until(ExpectedConditions.textToBe(By.id("dlq-status"), "redriven 1"));
    List<WebElement> left = wait.until(d -> rows(d, 1));
    assertThat(left.get(0).getDomAttribute("data-letter")).isEqualTo(second);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> receiver.calls.stream().filter(c -> c.status() == 204).count() == 1);

    left.get(0).findElement(By.cssSelector("input[type=checkbox]")).click();
    browser.findElement(By.id("dlq-purge")).click();
    wait.until(ExpectedConditions.textToBe(By.id("dlq-status"), "purged 1"));
    visible("#dlq-empty");
    screenshot("05-dead-letters-after-redrive-and-purge");
  }

  private static List<WebElement> rows(WebDriver d, int count) {
    List<WebElement> rows = d.findElements(By.cssSelector("#dlq-table tbody tr"));
    return rows.size() == count ? rows : null;
  }

  @Test
  @Order(4)
  void showsAJourneyAndSearchesRecentEvents() {
    go("#/events?id=" + eventId, "events");
    WebElement journey = visible("#journey-table");
    assertThat(journey.getText()).contains("orders-hook").contains("orders-log");
    WebElement id = browser.findElement(By.id("journey-id"));
    id.clear();
    id.sendKeys("01M98H14MY00000FR000000000");
    browser.findElement(By.cssSelector("#journey-form button")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("journey"), "EventNotFound"));
    browser.findElement(By.id("search-source")).sendKeys("shop.billing");
    browser.findElement(By.id("search-run")).click();
    WebElement results = visible("#search-table");
    assertThat(results.getText()).contains("InvoiceSent").doesNotContain("OrderPlaced");
    results.findElement(By.cssSelector("a.mono")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("journey"), "No rule matched it"));
    screenshot("06-events");
  }

  @Test
  @Order(5)
  void followsTheLiveTailOfABusFilteredByAPattern() {
    go("#/tail", "tail");
    wait.until(d -> !d.findElements(By.cssSelector("#tail-bus option")).isEmpty());
    browser.findElement(By.id("tail-pattern")).sendKeys("{\"source\": [\"shop.tail\"]}");
    browser.findElement(By.id("tail-start")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("tail-status"), "Following"));
    ok(
        admin.post(
            "/v1/events",
            "{'entries':[{'source':'shop.other','detailType':'Skipped','detail':{}},"
                + "{'source':'shop.tail','detailType':'Tailed','detail':{'n':1}}]}"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("tail-log"), "Tailed"));
    assertThat(browser.findElement(By.id("tail-log")).getText()).doesNotContain("Skipped");
    assertThat(browser.findElement(By.id("tail-status")).getText()).contains("1 events");
    screenshot("07-live-tail");
    browser.findElement(By.id("tail-stop")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("tail-status"), "Stopped"));
  }

  @Test
  @Order(6)
  void aReadKeySeesButCannotAct() {
    go("#/targets", "targets");
    browser.findElement(By.id("forget-key")).click();
    WebElement input = visible("#key-input");
    input.sendKeys(readKey);
    browser.findElement(By.id("key-submit")).click();
    visible("#targets");
    receiver.answer(() -> 500);
    ok(
        admin.post(
            "/v1/events",
            "{'entries':[{'source':'shop.orders','detailType':'OrderPlaced','detail':{'orderId':'o-3'}}]}"));
    go("#/dlq?target=orders-hook", "dlq");
    List<WebElement> rows = wait.until(d -> rows(d, 1));
    rows.get(0).findElement(By.cssSelector("input[type=checkbox]")).click();
    browser.findElement(By.id("dlq-redrive")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("dlq-status"), "Forbidden"));
    assertThat(browser.findElements(By.cssSelector("#dlq-table tbody tr"))).hasSize(1);
    screenshot("08-read-key-refused");
  }
}
