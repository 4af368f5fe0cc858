package dev.herald.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.config.ConfigLimits;
import dev.herald.server.config.ConfigLimitSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HTTP and configuration limits read from the environment: defaults, values, bad values. */
class HttpSettingsTest {
  @Test
  void defaultsWhenNothingIsSet() {
    HttpSettings settings = HttpSettings.of(Map.of(), true);
    assertThat(settings.readTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.idleTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.maxConnections()).isEqualTo(512);
    assertThat(settings.loopbackOnly()).isTrue();
    assertThat(ConfigLimitSettings.of(Map.of())).isEqualTo(ConfigLimits.defaults());
  }

  @Test
  void valuesFromTheEnvironment() {
    HttpSettings settings =
        HttpSettings.of(
            Map.of(
                HttpSettings.READ_TIMEOUT, "30",
                HttpSettings.IDLE_TIMEOUT, " 60 ",
                HttpSettings.MAX_CONNECTIONS, "2000"),
            true);
    assertThat(settings.readTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(settings.maxConnections()).isEqualTo(2000);
    assertThat(
            ConfigLimitSettings.of(
                Map.of(
                    ConfigLimitSettings.MAX_BUSES, "5",
                    ConfigLimitSettings.MAX_RULES_PER_BUS, "6",
                    ConfigLimitSettings.MAX_TARGETS, "7")))
        .isEqualTo(new ConfigLimits(5, 6, 7));
  }

  @Test
  void aBadValueNamesItsVariable() {
    for (String bad : new String[] {"0", "-1", "ten", "1e3", "18446744073709551616"}) {
      assertThatThrownBy(() -> HttpSettings.of(Map.of(HttpSettings.READ_TIMEOUT, bad), true))
          .as(bad)
          .hasMessageContaining(HttpSettings.READ_TIMEOUT);
      assertThatThrownBy(() -> ConfigLimitSettings.of(Map.of(ConfigLimitSettings.MAX_TARGETS, bad)))
          .as(bad)
          .hasMessageContaining(ConfigLimitSettings.MAX_TARGETS);
    }
    assertThatThrownBy(() -> HttpSettings.of(Map.of(HttpSettings.MAX_CONNECTIONS, "100001"), true))
        .hasMessageContaining(HttpSettings.MAX_CONNECTIONS);
  }
}
