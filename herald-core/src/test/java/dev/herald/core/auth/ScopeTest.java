package dev.herald.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScopeTest {

  @Test
  void parsesEveryFormAndWritesItBack() {
    for (String text :
        new String[] {"admin", "read", "publish:orders", "publish:*", "queue:jobs", "queue:*"}) {
      assertThat(Scope.parse(text).toString()).isEqualTo(text);
    }
  }

  @Test
  void adminCoversEverythingAndOthersOnlyTheirOwn() {
    assertThat(Scope.ADMIN.covers(Scope.publish("orders"))).isTrue();
    assertThat(Scope.ADMIN.covers(Scope.READ)).isTrue();
    assertThat(Scope.READ.covers(Scope.ADMIN)).isFalse();
    assertThat(Scope.READ.covers(Scope.publish("orders"))).isFalse();
    assertThat(Scope.publish("orders").covers(Scope.publish("orders"))).isTrue();
    assertThat(Scope.publish("orders").covers(Scope.publish("payments"))).isFalse();
    assertThat(Scope.publish("*").covers(Scope.publish("payments"))).isTrue();
    assertThat(Scope.publish("*").covers(Scope.queue("payments"))).isFalse();
    assertThat(Scope.queue("*").covers(Scope.queue("jobs"))).isTrue();
    assertThat(Scope.queue("jobs").covers(Scope.queue("jobs2"))).isFalse();
    assertThat(Scope.queue("jobs").covers(Scope.READ)).isFalse();
  }

  @Test
  void refusesUnknownAndMalformedScopesSayingWhatIsExpected() {
    assertThatThrownBy(() -> Scope.parse("write"))
        .hasMessageContaining("unknown scope 'write'")
        .hasMessageContaining("publish:<bus>");
    assertThatThrownBy(() -> Scope.parse("publish")).hasMessageContaining("bus name");
    assertThatThrownBy(() -> Scope.parse("publish:")).hasMessageContaining("bus name");
    assertThatThrownBy(() -> Scope.parse("queue:a/b")).hasMessageContaining("target name");
    assertThatThrownBy(() -> Scope.parse("admin:x")).hasMessageContaining("unknown scope");
    assertThatThrownBy(() -> Scope.parse("READ")).hasMessageContaining("unknown scope");
  }
}
