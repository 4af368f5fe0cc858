package dev.herald.targets;

import static dev.herald.targets.WebhookTargetTest.delivery;
import static dev.herald.targets.WebhookTargetTest.webhook;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.delivery.Outcome;
import dev.herald.api.delivery.Target;
import dev.herald.core.config.TargetSpecs;
import dev.herald.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Targets' outbound HTTP through an egress proxy, against a real proxy ({@link TestProxy}) and real
 * receivers on 127.0.0.1: what passes through the proxy, what goes direct, what the proxy is asked
 * for (the checked address), and how its refusals read.
 */
class EgressProxyTest {
  static final TargetContext DEV =
      new TargetContext(InstantSource.system(), true, Set.of(), Path.of("plugins"));
  static final TargetContext PRODUCTION =
      new TargetContext(InstantSource.system(), false, Set.of(), Path.of("plugins"));

  Receiver receiver;
  TestProxy proxy;

  @BeforeEach
  void start() throws Exception {
    receiver = new Receiver();
    proxy = new TestProxy();
  }

  @AfterEach
  void stop() throws Exception {
    receiver.close();
    proxy.close();
  }

  TargetContext viaProxy(String exclude) {
    return viaProxy(DEV, "", exclude);
  }

  TargetContext viaProxy(TargetContext context, String userInfo, String exclude) {
    Map<String, String> env =
        Map.of(
            EgressProxy.SETTING,
            "http://" + userInfo + "127.0.0.1:" + proxy.port(),
            EgressProxy.EXCLUDE_SETTING,
            exclude);
    return context.withProxy(EgressProxy.fromEnv(env).orElseThrow());
  }

  Target webhookTo(String url, String extra, TargetContext context) {
    return webhook("{\"url\": \"" + url + "\"" + extra + "}", context);
  }

  @Test
  void aPlainHttpWebhookReachesTheReceiverThroughTheProxyAtTheCheckedAddress() {
    try (Target target = webhookTo(receiver.url("/hook"), "", viaProxy(""))) {
      assertThat(target.deliver(delivery())).isEqualTo(new Outcome.Delivered());
    }
    assertThat(proxy.seen())
        .containsExactly(
            new TestProxy.Seen("POST", "http://127.0.0.1:" + receiver.port() + "/hook", null));
    Receiver.Received r = receiver.received("/hook").getFirst();
    assertThat(r.header("Host")).isEqualTo("127.0.0.1:" + receiver.port());
    assertThat(r.header("webhook-id")).isEqualTo("dk-123");
  }

  @Test
  void anHttpsWebhookWithItsOwnAuthorityIsTunnelledThroughConnect(@TempDir Path dir)
      throws Exception {
    try (TlsReceiver tls = new TlsReceiver(Files.createDirectories(dir.resolve("tls")))) {
      String settings =
          ", \"tls\": {\"caCertificates\": "
              + Json.MAPPER.writeValueAsString(tls.certificatePem())
              + "}";
      try (Target target = webhookTo(tls.url("/hook"), settings, viaProxy(""))) {
        assertThat(target.deliver(delivery())).isEqualTo(new Outcome.Delivered());
        assertThat(target.deliver(delivery())).isEqualTo(new Outcome.Delivered());
      }
      assertThat(tls.bodies()).hasSize(2).allMatch(b -> b.contains("evt-1"));
      // one tunnel, kept alive for the second delivery; TLS runs end to end inside it
      assertThat(proxy.seen())
          .containsExactly(new TestProxy.Seen("CONNECT", "127.0.0.1:" + tls.port(), null));
    }
  }

  @Test
  void basicProxyAuthenticationGoesToTheProxyOnly(@TempDir Path dir) throws Exception {
    proxy.requiring("ops:s3cr:t p@ss");
    String expected =
        "Basic " + java.util.Base64.getEncoder().encodeToString("ops:s3cr:t p@ss".getBytes(UTF_8));
    TargetContext context = viaProxy(DEV, "ops:s3cr%3At%20p%40ss@", "");
    try (Target target = webhookTo(receiver.url("/hook"), "", context)) {
      assertThat(target.deliver(delivery())).isEqualTo(new Outcome.Delivered());
    }
    try (TlsReceiver tls = new TlsReceiver(Files.createDirectories(dir.resolve("tls")));
        Target target =
            webhookTo(
                tls.url("/hook"),
                ", \"tls\": {\"caCertificates\": "
                    + Json.MAPPER.writeValueAsString(tls.certificatePem())
                    + "}",
                context)) {
      assertThat(target.deliver(delivery())).isEqualTo(new Outcome.Delivered());
      assertThat(tls.bodies()).hasSize(1);
    }
    assertThat(proxy.seen())
        .extracting(TestProxy.Seen::method, TestProxy.Seen::proxyAuthorization)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("POST", expected),
            org.assertj.core.groups.Tuple.tuple("CONNECT", expected));
    assertThat(receiver.received("/hook").getFirst().header("Proxy-Authorization")).isNull();
  }

  @Test
  void wrongProxyCredentialsAreAProxyRefusedAttemptNamingTheProxyNotThePassword(@TempDir Path dir)
      throws Exception {
    proxy.requiring("ops:right");
    TargetContext context = viaProxy(DEV, "ops:wr0ng-secret@", "");
    try (Target target = webhookTo(receiver.url("/hook"), "", context)) {
      assertThat(target.deliver(delivery()))
          .isInstanceOfSatisfying(
              Outcome.Retry.class,
              r -> {
                assertThat(r.code()).isEqualTo("ProxyRefused");
                assertThat(r.message())
                    .contains("egress proxy 127.0.0.1:" + proxy.port())
                    .contains("407")
                    .doesNotContain("wr0ng-secret");
              });
    }
    try (TlsReceiver tls = new TlsReceiver(Files.createDirectories(dir.resolve("tls")));
        Target target =
            webhookTo(
                tls.url("/hook"),
                ", \"tls\": {\"caCertificates\": "
                    + Json.MAPPER.writeValueAsString(tls.certificatePem())
                    + "}",
                context)) {
      assertThat(target.deliver(delivery()))
          .isInstanceOfSatisfying(
              Outcome.Retry.class,
              r -> {
                assertThat(r.code()).isEqualTo("ProxyRefused");
                assertThat(r.message())
                    .contains("egress proxy 127.0.0.1:" + proxy.port() + " refused CONNECT")
                    .contains("407")
                    .doesNotContain("wr0ng-secret");
              });
      assertThat(tls.bodies()).isEmpty();
    }
    assertThat(receiver.received()).isEmpty();
    assertThat(context.proxy().orElseThrow().toString()).doesNotContain("wr0ng-secret");
  }

  @Test
  void aProxyThatFailsTheConnectIsAProxyRefusedAttempt(@TempDir Path dir) throws Exception {
    proxy.refusingConnectWith(502);
    try (TlsReceiver tls = new TlsReceiver(Files.createDirectories(dir.resolve("tls")));
        Target target =
            webhookTo(
                tls.url("/hook"),
                ", \"tls\": {\"caCertificates\": "
                    + Json.MAPPER.writeValueAsString(tls.certificatePem())
                    + "}",
                viaProxy(""))) {
      assertThat(target.deliver(delivery()))
          .isEqualTo(
              new Outcome.Retry(
                  "ProxyRefused",
                  "egress proxy 127.0.0.1:"
                      + proxy.port()
                      + " refused CONNECT 127.0.0.1:"
                      + tls.port()
                      + ": 502 Refused"));
      assertThat(tls.bodies()).isEmpty();
    }
  }

  @Test
  void aProxyThatIsNotListeningIsAConnectionFailedNamingTheProxy() throws Exception {
    int port = proxy.port();
    proxy.close();
    try (Target target = webhookTo(receiver.url("/hook"), "", viaProxy(""))) {
      assertThat(target.deliver(delivery()))
          .isInstanceOfSatisfying(
              Outcome.Retry.class,
              r -> {
                assertThat(r.code()).isEqualTo("ConnectionFailed");
                assertThat(r.message()).contains("egress proxy 127.0.0.1:" + port);
              });
    }
    assertThat(receiver.received()).isEmpty();
  }

  @Test
  void excludedAddressesAndNamesGoDirect() {
    try (Target target = webhookTo(receiver.url("/hook"), "", viaProxy("10.0.0.0/8,127.0.0.0/8"))) {
      assertThat(target.deliver(delivery())).isEqualTo(new Outcome.Delivered());
    }
    assertThat(proxy.seen()).isEmpty();
    assertThat(receiver.received("/hook")).hasSize(1);

    EgressProxy rules =
        EgressProxy.fromEnv(
                Map.of(
                    EgressProxy.SETTING,
                    "http://proxy.corp.example:3128",
                    EgressProxy.EXCLUDE_SETTING,
                    "Hooks.Internal, .corp.example,*.svc.cluster.local,fd00::/8"))
            .orElseThrow();
    java.net.InetAddress publicAddress = address("93.184.216.34");
    assertThat(rules.direct("hooks.internal", publicAddress, false)).isTrue();
    assertThat(rules.direct("a.b.corp.example", publicAddress, false)).isTrue();
    assertThat(rules.direct("corp.example", publicAddress, false)).isTrue();
    assertThat(rules.direct("x.svc.cluster.local", publicAddress, false)).isTrue();
    assertThat(rules.direct("notcorp.example", publicAddress, false)).isFalse();
    assertThat(rules.direct("api.example.com", publicAddress, false)).isFalse();
    assertThat(rules.direct("api.example.com", address("fd00::1"), false)).isTrue();
    // another machine's loopback is not the one that was checked: loopback goes direct, unless
    // the proxy is on this machine's loopback too
    assertThat(rules.direct("localhost", address("127.0.0.1"), false)).isTrue();
    assertThat(rules.direct("localhost", address("127.0.0.1"), true)).isFalse();
  }

  @Test
  void aForbiddenDestinationIsRefusedBeforeTheProxyIsAsked() {
    // "localhost" passes when stored (a name); at delivery it resolves to loopback, which a
    // production Herald refuses: the proxy must not be asked to go there instead
    String url = "http://localhost:" + receiver.port() + "/hook";
    try (Target target = webhookTo(url, "", viaProxy(PRODUCTION, "", ""))) {
      assertThat(target.deliver(delivery()))
          .isInstanceOfSatisfying(
              Outcome.Permanent.class, p -> assertThat(p.code()).isEqualTo("ForbiddenAddress"));
    }
    assertThat(proxy.seen()).isEmpty();
    assertThat(receiver.received()).isEmpty();
  }

  @Test
  void oauthTokenFetchesAndChatMessagesGoThroughTheProxyToo() throws Exception {
    AtomicInteger issued = new AtomicInteger();
    receiver.on(
        "/token",
        r ->
            new Receiver.Answer(
                200,
                Map.of("Content-Type", "application/json"),
                "{\"access_token\": \"tok-" + issued.incrementAndGet() + "\"}",
                0));
    String oauth =
        ", \"auth\": {\"oauth\": {\"tokenUrl\": \""
            + receiver.url("/token")
            + "\", \"clientId\": \"herald\", \"clientSecret\": \"s\"}}";
    try (Target target = webhookTo(receiver.url("/hook"), oauth, viaProxy(""))) {
      assertThat(target.deliver(delivery())).isEqualTo(new Outcome.Delivered());
    }
    var chatJson =
        Json.MAPPER.readTree(
            "{\"type\": \"chat\", \"chat\": {\"url\": \""
                + receiver.url("/chat")
                + "\", \"text\": \"order placed\"}}");
    try (Target chat = Targets.create(TargetSpecs.parse("orders-chat", chatJson), viaProxy(""))) {
      assertThat(chat.deliver(delivery())).isEqualTo(new Outcome.Delivered());
    }
    String base = "http://127.0.0.1:" + receiver.port();
    assertThat(proxy.seen())
        .extracting(TestProxy.Seen::target)
        .containsExactly(base + "/token", base + "/hook", base + "/chat");
    assertThat(receiver.received("/hook").getFirst().header("Authorization"))
        .isEqualTo("Bearer tok-1");
    assertThat(new String(receiver.received("/chat").getFirst().body(), UTF_8))
        .contains("order placed");
  }

  @Test
  void badSettingsAreRefusedNamingTheSettingWithoutThePassword() {
    for (String bad :
        List.of(
            "proxy.corp:3128",
            "https://proxy.corp:3128",
            "socks5://proxy.corp:1080",
            "http://proxy.corp",
            "http://proxy.corp:3128/path",
            "http://proxy.corp:99999",
            "http://user-without-password@proxy.corp:3128",
            "http://ops:hunter2%@proxy.corp:3128",
            "http://ops:hunter2 x@proxy.corp:3128",
            "http://:3128")) {
      assertThat(refusal(Map.of(EgressProxy.SETTING, bad)))
          .as(bad)
          .startsWith(EgressProxy.SETTING + " ")
          .doesNotContain("hunter2");
    }
    for (String bad : List.of("a,,b", "10.0.0.0/40", "not a host", "a,")) {
      assertThat(
              refusal(
                  Map.of(
                      EgressProxy.SETTING,
                      "http://proxy.corp:3128",
                      EgressProxy.EXCLUDE_SETTING,
                      bad)))
          .as(bad)
          .startsWith(EgressProxy.EXCLUDE_SETTING + " ");
    }
    assertThat(refusal(Map.of(EgressProxy.EXCLUDE_SETTING, "corp.example")))
        .contains(EgressProxy.EXCLUDE_SETTING)
        .contains(EgressProxy.SETTING + " is not");
  }

  @Test
  void aGoodSettingIsReadWithDecodedCredentialsThatNeverShow() {
    assertThat(EgressProxy.fromEnv(Map.of())).isEmpty();
    EgressProxy read =
        EgressProxy.fromEnv(Map.of(EgressProxy.SETTING, "http://ops:p%40ss%3Aw0rd@[::1]:3128/"))
            .orElseThrow();
    assertThat(read.host()).isEqualTo("::1");
    assertThat(read.port()).isEqualTo(3128);
    assertThat(read.credentials()).contains("ops:p@ss:w0rd");
    assertThat(read.describe()).isEqualTo("[::1]:3128");
    assertThat(read.toString()).doesNotContain("p@ss").doesNotContain("p%40ss");
    assertThat(
            EgressProxy.fromEnv(Map.of(EgressProxy.SETTING, "http://proxy.corp:3128"))
                .orElseThrow()
                .credentials())
        .isEqualTo(Optional.empty());
  }

  private static String refusal(Map<String, String> env) {
    try {
      EgressProxy.fromEnv(env);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    throw new AssertionError("accepted " + env);
  }

  private static java.net.InetAddress address(String literal) {
    try {
      return java.net.InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
