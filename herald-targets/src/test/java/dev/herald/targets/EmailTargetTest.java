package dev.herald.targets;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.api.delivery.Delivery;
import dev.herald.api.delivery.Outcome;
import dev.herald.api.delivery.Target;
import dev.herald.core.config.ConfigException;
import dev.herald.core.config.TargetSpecs;
import dev.herald.core.json.Json;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EmailTargetTest {
  static final TargetContext DEV =
      new TargetContext(InstantSource.system(), true, Set.of(), Path.of("plugins"));
  static final String ENVELOPE =
      """
      {"version": "0", "id": "evt-3", "detail-type": "OrderShipped", "source": "shop.orders",
       "detail": {"orderId": "o-3", "customer": {"name": "Ada <Lovelace>", "email": "ada@example.com"},
                  "email": "not-an-address"}}
      """;

  MailServer mail;

  @BeforeEach
  void start() {
    mail = new MailServer();
  }

  @AfterEach
  void stop() {
    mail.close();
  }

  static Target email(String settings) {
    try {
      JsonNode json = Json.MAPPER.readTree("{\"type\": \"email\", \"email\": " + settings + "}");
      return Targets.create(TargetSpecs.parse("orders-mail", json), DEV);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  static String settings(int port, String to, String extra) {
    return """
        {"smtp": {"host": "127.0.0.1", "port": %d, "tls": "none"},
         "from": "Herald <herald@shop.example>", "to": %s,
         "subject": "{{detail-type}}: order {{detail.orderId}}", "text": "Hello {{detail.customer.name}}"%s}
        """
        .formatted(port, to, extra);
  }

  Target emailTo(String to, String extra) {
    return email(settings(mail.port(), to, extra));
  }

  static Delivery delivery(Duration timeout) {
    return new Delivery(
        "dk-3:rule/a b",
        "evt-3",
        "shipped",
        1,
        ENVELOPE.getBytes(UTF_8),
        true,
        Optional.empty(),
        Instant.now().plus(timeout));
  }

  static Delivery delivery() {
    return delivery(Duration.ofSeconds(10));
  }

  @Test
  void deliveredMailHasTheRenderedFieldsAndTheDeliveryKey() throws Exception {
    String html =
        ", \"html\": \"<p>Hello {{detail.customer.name}}</p>\", \"cc\": \"ops@shop.example\"";
    try (Target target = emailTo("[\"{{detail.customer.email}}\", \"sales@shop.example\"]", html)) {
      assertThat(target.deliver(delivery())).isEqualTo(new Outcome.Delivered());
    }
    MimeMessage[] received = mail.received();
    assertThat(received).hasSize(3); // one copy per recipient mailbox
    MimeMessage m = received[0];
    assertThat(m.getSubject()).isEqualTo("OrderShipped: order o-3");
    assertThat(Arrays.stream(m.getRecipients(Message.RecipientType.TO)).map(Object::toString))
        .containsExactly("ada@example.com", "sales@shop.example");
    assertThat(m.getRecipients(Message.RecipientType.CC)[0].toString())
        .isEqualTo("ops@shop.example");
    assertThat(m.getFrom()[0].toString()).isEqualTo("Herald <herald@shop.example>");
    assertThat(m.getHeader("Herald-Delivery-Key", null)).isEqualTo("dk-3:rule/a b");
    assertThat(m.getMessageID()).isEqualTo("<herald.dk-3=3Arule=2Fa=20b@shop.example>");
    MimeMultipart body = (MimeMultipart) m.getContent();
    assertThat(body.getContentType()).startsWith("multipart/alternative");
    assertThat(body.getBodyPart(0).getContent()).isEqualTo("Hello Ada <Lovelace>");
    assertThat(body.getBodyPart(1).getContent()).isEqualTo("<p>Hello Ada &lt;Lovelace&gt;</p>");
  }

  @Test
  void everyAttemptOfADeliveryCarriesTheSameMessageId() throws Exception {
    try (Target target = emailTo("\"sales@shop.example\"", "")) {
      target.deliver(delivery());
      target.deliver(delivery());
    }
    assertThat(mail.received()).hasSize(2);
    assertThat(mail.received()[0].getMessageID()).isEqualTo(mail.received()[1].getMessageID());
    assertThat(mail.received()[0].getContent()).isEqualTo("Hello Ada <Lovelace>");
  }

  @Test
  void concurrentDeliveriesFromVirtualThreadsAllArrive() throws Exception {
    try (Target target = emailTo("\"sales@shop.example\"", "");
        var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      var outcomes = new java.util.ArrayList<java.util.concurrent.Future<Outcome>>();
      for (int i = 0; i < 20; i++) {
        Delivery d = delivery();
        Delivery keyed =
            new Delivery(
                "dk-" + i,
                d.eventId(),
                d.rule(),
                1,
                d.input(),
                true,
                Optional.empty(),
                d.deadline());
        outcomes.add(threads.submit(() -> target.deliver(keyed)));
      }
      for (var outcome : outcomes) {
        assertThat(outcome.get()).isEqualTo(new Outcome.Delivered());
      }
    }
    assertThat(Arrays.stream(mail.received()).map(m -> header(m, "Herald-Delivery-Key")))
        .hasSize(20)
        .doesNotHaveDuplicates();
  }

  static String header(MimeMessage m, String name) {
    try {
      return m.getHeader(name, null);
    } catch (jakarta.mail.MessagingException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void starttlsIsRequiredNotSilentlySkipped() {
    String starttls =
        settings(mail.port(), "\"a@shop.example\"", "").replace("\"none\"", "\"starttls\"");
    try (Target target = email(starttls)) {
      assertThat(target.deliver(delivery()))
          .isInstanceOfSatisfying(
              Outcome.Retry.class,
              r -> {
                assertThat(r.code()).isEqualTo("ConnectionFailed");
                assertThat(r.message()).contains("STARTTLS");
              });
    }
    assertThat(mail.received()).isEmpty();
  }

  @Test
  void smtpOutageIsRetried() {
    try (Target target = emailTo("\"sales@shop.example\"", "")) {
      mail.stop();
      assertThat(target.deliver(delivery()))
          .isInstanceOfSatisfying(
              Outcome.Retry.class, r -> assertThat(r.code()).isEqualTo("ConnectionFailed"));
    }
  }

  @Test
  void rejectedRecipientIsPermanentAndNobodyGetsTheMail() {
    try (Target target = emailTo("[\"sales@shop.example\", \"gone@rejected.example\"]", "")) {
      assertThat(target.deliver(delivery()))
          .isInstanceOfSatisfying(
              Outcome.Permanent.class,
              p -> {
                assertThat(p.code()).isEqualTo("SmtpStatus550");
                assertThat(p.message()).contains("gone@rejected.example");
              });
    }
    assertThat(mail.received()).isEmpty();
  }

  @Test
  void temporarilyRefusedRecipientIsRetried() {
    try (Target target = emailTo("\"someone@busy.example\"", "")) {
      assertThat(target.deliver(delivery()))
          .isInstanceOfSatisfying(
              Outcome.Retry.class, r -> assertThat(r.code()).isEqualTo("SmtpStatus451"));
    }
  }

  @Test
  void serverSilentPastTheDeadlineIsRetriedAsTimeout() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual().start(() -> acceptAndSayNothing(silent));
      try (Target target = email(settings(silent.getLocalPort(), "\"a@shop.example\"", ""))) {
        Instant start = Instant.now();
        assertThat(target.deliver(delivery(Duration.ofMillis(500))))
            .isInstanceOfSatisfying(
                Outcome.Retry.class, r -> assertThat(r.code()).isEqualTo("Timeout"));
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(5));
      }
    }
  }

  static void acceptAndSayNothing(ServerSocket server) {
    try (Socket socket = server.accept()) {
      socket.getInputStream().read(); // until the client gives up
    } catch (java.io.IOException ignored) {
      // closed
    }
  }

  @Test
  void missingFieldIsATemplateErrorNamingIt() {
    try (Target target = emailTo("\"{{detail.customer.phone}}@sms.example\"", "")) {
      assertThat(target.deliver(delivery()))
          .isInstanceOfSatisfying(
              Outcome.Permanent.class,
              p -> {
                assertThat(p.code()).isEqualTo("TemplateError");
                assertThat(p.message()).contains("detail.customer.phone").contains("email.to");
              });
    }
    assertThat(mail.received()).isEmpty();
  }

  @Test
  void renderedAddressThatIsNotOneIsPermanentInvalidAddress() {
    try (Target target = emailTo("[\"a@shop.example\", \"{{detail.email}}\"]", "")) {
      assertThat(target.deliver(delivery()))
          .isInstanceOfSatisfying(
              Outcome.Permanent.class,
              p -> {
                assertThat(p.code()).isEqualTo("InvalidAddress");
                assertThat(p.message()).contains("email.to[1]").contains("not-an-address");
              });
    }
  }

  @Test
  void invalidStaticAddressIsRejectedAtBuildNamingTheField() {
    assertThatThrownBy(() -> emailTo("[\"a@shop.example\", \"bob at shop\"]", ""))
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class, e -> assertThat(e.field()).isEqualTo("email.to[1]"));
    String badFrom =
        settings(25, "\"a@shop.example\"", "").replace("Herald <herald@shop.example>", "herald");
    assertThatThrownBy(() -> email(badFrom))
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class, e -> assertThat(e.field()).isEqualTo("email.from"));
  }

  @Test
  void templateSyntaxErrorIsRejectedAtBuildNamingTheField() {
    String broken =
        settings(25, "\"a@shop.example\"", "").replace("{{detail-type}}:", "{{#detail-type}}:");
    assertThatThrownBy(() -> email(broken))
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class, e -> assertThat(e.field()).isEqualTo("email.subject"));
  }

  @Test
  void settingsAreCheckedNamingTheField() {
    String noBody =
        settings(25, "\"a@shop.example\"", "")
            .replace(", \"text\": \"Hello {{detail.customer.name}}\"", "");
    assertThatThrownBy(() -> email(noBody))
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class, e -> assertThat(e.field()).isEqualTo("email.text"));
    String badTls = settings(25, "\"a@shop.example\"", "").replace("\"none\"", "\"ssl\"");
    assertThatThrownBy(() -> email(badTls))
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class, e -> assertThat(e.field()).isEqualTo("email.smtp.tls"));
    String userOnly =
        settings(25, "\"a@shop.example\"", "")
            .replace("\"tls\": \"none\"", "\"tls\": \"none\", \"username\": \"u\"");
    assertThatThrownBy(() -> email(userOnly))
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class,
            e -> assertThat(e.field()).isEqualTo("email.smtp.password"));
  }

  @Test
  void smtpHostOnAForbiddenLiteralAddressIsRefusedWhenStored() {
    String metadata =
        settings(25, "\"a@shop.example\"", "").replace("127.0.0.1", "169.254.169.254");
    assertThatThrownBy(() -> email(metadata).close())
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class, e -> assertThat(e.field()).isEqualTo("email.smtp.host"));
  }

  @Test
  void smtpHostWhoseNameResolvesToAForbiddenAddressIsRefusedAtDelivery() throws Exception {
    String loopbackByName =
        settings(25, "\"a@shop.example\"", "").replace("127.0.0.1", "localhost");
    try (Target target =
        Targets.create(
            TargetSpecs.parse(
                "orders-mail",
                Json.MAPPER.readTree("{\"type\": \"email\", \"email\": " + loopbackByName + "}")),
            new TargetContext(InstantSource.system(), false, Set.of(), Path.of("plugins")))) {
      assertThat(target.deliver(delivery()))
          .isInstanceOfSatisfying(
              Outcome.Permanent.class, p -> assertThat(p.code()).isEqualTo("ForbiddenAddress"));
    }
  }
}
