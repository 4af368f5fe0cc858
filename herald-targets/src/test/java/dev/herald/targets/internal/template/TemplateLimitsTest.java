package dev.herald.targets.internal.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.config.ConfigException;
import dev.herald.targets.internal.template.Templates.Escaping;
import dev.herald.targets.internal.template.Templates.RenderException;
import org.junit.jupiter.api.Test;

/** Templates that would break the compiler or flood a receiver are refused with the field named. */
class TemplateLimitsTest {
  @Test
  void fiveThousandNestedSectionsAreRefusedNotAStackOverflow() {
    String deep = "{{#x}}".repeat(5_000) + "{{/x}}".repeat(5_000);
    assertThatThrownBy(() -> Templates.compile(deep, "email.html", Escaping.HTML))
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class,
            e -> {
              assertThat(e.field()).isEqualTo("email.html");
              assertThat(e.getMessage()).contains("nests sections deeper than 32");
            });
  }

  @Test
  void nestingUpToTheLimitCompiles() {
    String deep = "{{#detail}}".repeat(32) + "x" + "{{/detail}}".repeat(32);
    assertThat(Templates.compile(deep, "email.text", Escaping.NONE)).isNotNull();
  }

  @Test
  void aTemplateOverTheSizeLimitIsRefused() {
    String big = "a".repeat(Templates.MAX_TEMPLATE_CHARS + 1);
    assertThatThrownBy(() -> Templates.compile(big, "chat.text", Escaping.NONE))
        .isInstanceOfSatisfying(
            ConfigException.Invalid.class,
            e -> assertThat(e.getMessage()).contains("chat.text").contains("the limit is"));
  }

  @Test
  void changingDelimitersIsRefused() {
    assertThatThrownBy(
            () -> Templates.compile("{{=<% %>=}}<%#x%><%/x%>", "email.text", Escaping.NONE))
        .isInstanceOf(ConfigException.Invalid.class);
  }

  @Test
  void aRenderPastTheLimitFailsInsteadOfGrowingWithoutBound() throws Exception {
    // 24 KB of template repeating a 5 KB field would render well over 10 MB
    String template = "{{detail.note}}".repeat(1600);
    String field = "x".repeat(5_000);
    Object scope = TemplatesTest.scope("{\"detail\": {\"note\": \"" + field + "\"}}");
    assertThatThrownBy(() -> Templates.compile(template, "email.html", Escaping.NONE).render(scope))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("email.html rendered more than");
  }
}
