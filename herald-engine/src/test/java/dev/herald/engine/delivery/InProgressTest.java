package dev.herald.engine.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class InProgressTest {
  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
  private final InProgress inProgress = new InProgress();

  private static InProgress.Copy copy(String key) {
    return new InProgress.Copy(Works.first("t", key, NOW), null, () -> {});
  }

  @Test
  void aSecondRecordOfADeliveryInProgressJoinsIt() {
    InProgress.Copy first = copy("dk");
    InProgress.Copy second = copy("dk");

    assertThat(inProgress.begin(first)).isEqualTo(InProgress.Start.ATTEMPT);
    assertThat(inProgress.begin(second)).isEqualTo(InProgress.Start.JOINED);
    assertThat(inProgress.begin(copy("other"))).isEqualTo(InProgress.Start.ATTEMPT);

    assertThat(inProgress.end("dk", true)).containsExactly(second);
    assertThat(inProgress.size()).isEqualTo(1);
  }

  @Test
  void aRecordOfADeliveryRecordedMomentsAgoIsToBeLookedUpAgainUnlessForgotten() {
    inProgress.begin(copy("dk"));
    inProgress.end("dk", true);

    assertThat(inProgress.begin(copy("dk"))).isEqualTo(InProgress.Start.RECORDED);
    inProgress.forget("dk"); // the journal did not say delivered: it is attempted
    assertThat(inProgress.begin(copy("dk"))).isEqualTo(InProgress.Start.ATTEMPT);
  }

  @Test
  void aDeliveryThatWasNotRecordedCanBeAttemptedAgain() {
    inProgress.begin(copy("dk"));
    InProgress.Copy heir = copy("dk");
    inProgress.begin(heir);

    assertThat(inProgress.end("dk", false)).containsExactly(heir);
    assertThat(inProgress.begin(heir)).isEqualTo(InProgress.Start.ATTEMPT);
  }

  @Test
  void remembersOnlyTheLastRecordedDeliveries() {
    for (int i = 0; i <= InProgress.RECENT; i++) {
      inProgress.begin(copy("dk-" + i));
      inProgress.end("dk-" + i, true);
    }

    assertThat(inProgress.begin(copy("dk-0"))).isEqualTo(InProgress.Start.ATTEMPT);
    assertThat(inProgress.begin(copy("dk-" + InProgress.RECENT)))
        .isEqualTo(InProgress.Start.RECORDED);
  }
}
