package dev.herald.targets.internal.template;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.api.delivery.Delivery;
import dev.herald.core.config.ConfigException;
import dev.herald.targets.internal.template.Templates.Escaping;
import dev.herald.targets.internal.template.Templates.RenderException;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TemplatesTest {
  static final String ENVELOPE =
      """
      {"version": "0", "id": "evt-1", "detail-type": "OrderPlaced", "source": "shop.orders",
       "account": "default", "time": "2026-01-02T03:04:05Z", "region": "local",
       "resources": ["arn:order/o-1", "arn:customer/c-9"],
       "detail": {"orderId": "o-1", "total": 42.50, "paid": true, "note": null,
                  "customer": {"name": "Ada <Lovelace> & Co", "email": "ada@example.com"},
                  "items": [{"sku": "A-1", "qty": 2}, {"sku": "B-2", "qty": 1}]}}
      """;

  static Object scope(String json) throws RenderException {
    return Templates.scope(
        new Delivery(
            "dk-1", "evt-1", "r", 1, json.getBytes(UTF_8), true, Optional.empty(), Instant.EPOCH));
  }

  static String render(String template) throws RenderException {
    return Templates.compile(template, "email.text", Escaping.NONE).render(scope(ENVELOPE));
  }

  @Test
  void rendersDottedPathsHyphenatedKeysAndArrayIndexes() throws Exception {
    assertThat(render("{{detail-type}} {{detail.orderId}} for {{detail.customer.email}}"))
        .isEqualTo("OrderPlaced o-1 for ada@example.com");
    assertThat(render("{{resources.1}} / {{detail.total}} / {{detail.paid}}"))
        .isEqualTo("arn:customer/c-9 / 42.50 / true");
  }

  @Test
  void plainTextIsNotEscapedButHtmlIs() throws Exception {
    assertThat(render("{{detail.customer.name}}")).isEqualTo("Ada <Lovelace> & Co");
    String html =
        Templates.compile("<p>{{detail.customer.name}}</p>", "email.html", Escaping.HTML)
            .render(scope(ENVELOPE));
    assertThat(html).isEqualTo("<p>Ada &lt;Lovelace&gt; &amp; Co</p>");
  }

  @Test
  void sectionsIterateArraysAndEnterObjects() throws Exception {
    assertThat(render("{{#detail.items}}{{sku}}x{{qty}} {{/detail.items}}"))
        .isEqualTo("A-1x2 B-2x1 ");
    assertThat(render("{{#detail.customer}}{{name}} ({{detail.orderId}}){{/detail.customer}}"))
        .isEqualTo("Ada <Lovelace> & Co (o-1)");
  }

  @Test
  void objectsAndArraysRenderAsJson() throws Exception {
    assertThat(render("{{detail.items.0}}")).isEqualTo("{\"sku\":\"A-1\",\"qty\":2}");
    assertThat(render("{{resources}}")).isEqualTo("[\"arn:order/o-1\",\"arn:customer/c-9\"]");
  }

  @Test
  void missingVariableFailsNamingTheFieldPathAndTheSetting() {
    assertThatThrownBy(() -> render("Hello\n{{detail.customer.phone}}"))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("detail.customer.phone")
        .hasMessageContaining("missing")
        .hasMessageContaining("email.text")
        .hasMessageContaining("line 2");
  }

  @Test
  void nullValueCountsAsMissing() {
    assertThatThrownBy(() -> render("{{detail.note}}"))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("detail.note");
  }

  @Test
  void missingVariableInsideASectionFails() {
    assertThatThrownBy(() -> render("{{#detail.items}}{{colour}}{{/detail.items}}"))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("colour");
  }

  @Test
  void sectionsMakeMissingFieldsOptional() throws Exception {
    assertThat(render("a{{#detail.note}}({{detail.note}}){{/detail.note}}b")).isEqualTo("ab");
    assertThat(
            render("{{#detail.gift}}gift{{/detail.gift}}{{^detail.gift}}no gift{{/detail.gift}}"))
        .isEqualTo("no gift");
  }

  @Test
  void javaMethodsAreNotReachable() {
    assertThatThrownBy(() -> render("{{detail.orderId.length}}"))
        .isInstanceOf(RenderException.class);
    assertThatThrownBy(() -> render("{{detail.class}}")).isInstanceOf(RenderException.class);
  }

  @Test
  void syntaxErrorIsInvalidConfigNamingTheField() {
    assertThatThrownBy(
            () -> Templates.compile("Order {{#detail.items}}", "email.subject", Escaping.NONE))
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class, e -> assertThat(e.field()).isEqualTo("email.subject"));
    assertThatThrownBy(() -> Templates.compile("{{detail.id", "chat.text", Escaping.NONE))
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class, e -> assertThat(e.field()).isEqualTo("chat.text"));
  }

  @Test
  void partialsAreRefusedSoTemplatesCannotReadFiles() {
    assertThatThrownBy(() -> Templates.compile("{{> /etc/passwd}}", "email.text", Escaping.NONE))
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class, e -> assertThat(e.getMessage()).contains("partials"));
  }

  @Test
  void templatesOfTheSameFieldDoNotShareACache() throws Exception {
    var a = Templates.compile("a {{id}}", "email.subject", Escaping.NONE);
    var b = Templates.compile("b {{id}}", "email.subject", Escaping.NONE);
    assertThat(a.render(scope(ENVELOPE))).isEqualTo("a evt-1");
    assertThat(b.render(scope(ENVELOPE))).isEqualTo("b evt-1");
  }

  @Test
  void constantTemplatesAreRecognised() {
    assertThat(Templates.compile("ops@example.com", "email.to", Escaping.NONE).isConstant())
        .isTrue();
    assertThat(Templates.compile("{{detail.email}}", "email.to", Escaping.NONE).isConstant())
        .isFalse();
    assertThat(Templates.compile("{{#a}}x{{/a}}", "email.to", Escaping.NONE).isConstant())
        .isFalse();
  }

  @Test
  void plainTextInputRendersAsTheCurrentValue() throws Exception {
    Delivery text =
        new Delivery(
            "dk", "e", "r", 1, "hi there".getBytes(UTF_8), false, Optional.empty(), Instant.EPOCH);
    assertThat(
            Templates.compile("said: {{.}}", "chat.text", Escaping.NONE)
                .render(Templates.scope(text)))
        .isEqualTo("said: hi there");
  }

  @Test
  void invalidJsonInputIsARenderError() {
    assertThatThrownBy(() -> scope("{not json")).isInstanceOf(RenderException.class);
  }
}
