package dev.herald.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The rate limit settings of the environment: defaults, overrides, and bad values named. */
class RateLimitSettingsTest {

  @Test
  void unsetMeansNoLimit() {
    RateLimitSettings settings = RateLimitSettings.of(Map.of());

    assertThat(settings.any()).isFalse();
    assertThat(settings.forKey("hk_a")).isEmpty();
    assertThat(settings.forBus("orders")).isEmpty();
    assertThat(settings.burstSeconds()).isEqualTo(1);
  }

  @Test
  void aDefaultWithOverridesByName() {
    RateLimitSettings settings =
        RateLimitSettings.of(
            Map.of(
                "HERALD_RATE_LIMIT_PER_KEY", "100, hk_batch=5000, hk_ops=unlimited",
                "HERALD_RATE_LIMIT_PER_BUS", "orders=20",
                "HERALD_RATE_LIMIT_BURST_SECONDS", "5"));

    assertThat(settings.any()).isTrue();
    assertThat(settings.forKey("hk_other")).isEqualTo(OptionalInt.of(100));
    assertThat(settings.forKey("hk_batch")).isEqualTo(OptionalInt.of(5000));
    assertThat(settings.forKey("hk_ops")).isEmpty();
    assertThat(settings.forBus("orders")).isEqualTo(OptionalInt.of(20));
    assertThat(settings.forBus("default")).isEmpty();
    assertThat(settings.burstSeconds()).isEqualTo(5);
  }

  @Test
  void badValuesAreRefusedNamingTheVariableAndTheEntry() {
    assertThatThrownBy(() -> RateLimitSettings.of(Map.of("HERALD_RATE_LIMIT_PER_KEY", "fast")))
        .hasMessageContaining("HERALD_RATE_LIMIT_PER_KEY")
        .hasMessageContaining("'fast'")
        .hasMessageContaining("from 1 to");
    assertThatThrownBy(() -> RateLimitSettings.of(Map.of("HERALD_RATE_LIMIT_PER_BUS", "0")))
        .hasMessageContaining("HERALD_RATE_LIMIT_PER_BUS");
    assertThatThrownBy(
            () -> RateLimitSettings.of(Map.of("HERALD_RATE_LIMIT_PER_BUS", "orders=1e3")))
        .hasMessageContaining("'1e3'");
    assertThatThrownBy(() -> RateLimitSettings.of(Map.of("HERALD_RATE_LIMIT_PER_BUS", "a=1,a=2")))
        .hasMessageContaining("names 'a' twice");
    assertThatThrownBy(() -> RateLimitSettings.of(Map.of("HERALD_RATE_LIMIT_PER_KEY", "1,2")))
        .hasMessageContaining("two defaults");
    assertThatThrownBy(() -> RateLimitSettings.of(Map.of("HERALD_RATE_LIMIT_PER_KEY", "=5")))
        .hasMessageContaining("no name");
    assertThatThrownBy(() -> RateLimitSettings.of(Map.of("HERALD_RATE_LIMIT_BURST_SECONDS", "61")))
        .hasMessageContaining("HERALD_RATE_LIMIT_BURST_SECONDS");
    assertThatThrownBy(() -> RateLimitSettings.of(Map.of("HERALD_RATE_LIMIT_BURST_SECONDS", "x")))
        .hasMessageContaining("'x'");
  }
}
