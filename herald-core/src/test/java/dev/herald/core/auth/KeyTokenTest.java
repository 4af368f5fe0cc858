package dev.herald.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class KeyTokenTest {

  @Test
  void generatedKeysAreDistinctAndParseBack() {
    SecureRandom random = new SecureRandom();
    KeyToken a = KeyToken.generate(random);
    KeyToken b = KeyToken.generate(random);

    assertThat(a.id()).startsWith("hk_").hasSize(19);
    assertThat(a.secret()).hasSize(43);
    assertThat(a).isNotEqualTo(b);
    assertThat(KeyToken.parse(a.text())).contains(a);
    assertThat(a.toString()).doesNotContain(a.secret());
  }

  @Test
  void malformedKeysDoNotParse() {
    assertThat(KeyToken.parse("")).isEmpty();
    assertThat(KeyToken.parse("no-dot-here-at-all-long-enough")).isEmpty();
    assertThat(KeyToken.parse(".secret-secret-secret-secret")).isEmpty();
    assertThat(KeyToken.parse("hk_a.short")).isEmpty();
    assertThat(KeyToken.parse("hk a.secret-secret-secret-secret")).isEmpty();
    assertThat(KeyToken.parse("hk_a.secret-secret-secret.secret")).isEmpty();
  }
}
