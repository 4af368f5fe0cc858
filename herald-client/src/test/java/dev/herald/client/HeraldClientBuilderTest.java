package dev.herald.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HeraldClientBuilderTest {

  @Test
  void anEndpointIsRequired() {
    assertThatThrownBy(() -> HeraldClient.builder().key("hk_a.b").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("endpoint");
  }

  @Test
  void theEndpointMustBeHttpOrHttps() {
    assertThatThrownBy(() -> HeraldClient.builder().endpoint("ftp://example.com").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ftp://example.com");
    assertThat(HeraldClient.builder().endpoint(URI.create("https://herald.example")).build())
        .isNotNull();
  }

  @Test
  void timeoutsMustBePositive() {
    assertThatThrownBy(() -> HeraldClient.builder().timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout");
    assertThatThrownBy(() -> HeraldClient.builder().connectTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("connectTimeout");
  }

  @Test
  void publisherOptionsRefuseValuesHeraldWouldRefuse() {
    assertThatThrownBy(() -> PublisherOptions.defaults().withBatchSize(1001))
        .hasMessageContaining("batchSize");
    assertThatThrownBy(() -> PublisherOptions.defaults().withMaxBatchBytes(16 * 1024 * 1024))
        .hasMessageContaining("maxBatchBytes");
    assertThatThrownBy(() -> PublisherOptions.defaults().withMaxAttempts(0))
        .hasMessageContaining("maxAttempts");
    assertThatThrownBy(
            () -> PublisherOptions.defaults().withBackoff(Duration.ofSeconds(2), Duration.ZERO))
        .hasMessageContaining("backoff");
  }
}
