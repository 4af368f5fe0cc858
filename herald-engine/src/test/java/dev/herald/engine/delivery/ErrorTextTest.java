package dev.herald.engine.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ErrorTextTest {
  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

  @Test
  void aMessageWithoutControlCharactersWithinTheLimitIsKeptAsItIs() {
    String message = "receiver answered 503: try later ☕ 😀";
    assertThat(ErrorText.message(message)).isSameAs(message);
  }

  @Test
  void controlCharactersAndLoneSurrogatesBecomeSpaces() {
    assertThat(ErrorText.message("a\u0000b\nc\u007fd\ud800e")).isEqualTo("a b c d e");
    assertThat(ErrorText.code("Http\u0000503")).isEqualTo("Http 503");
  }

  @Test
  void aLongMessageIsCutWithAnEllipsisWithoutSplittingACharacter() {
    String cut = ErrorText.message("x".repeat(998) + "😀" + "y".repeat(5_000));
    assertThat(cut).hasSize(ErrorText.MAX_MESSAGE - 1).endsWith("x…"); // the emoji did not fit
    String exact = ErrorText.message("x".repeat(997) + "😀" + "y".repeat(5_000));
    assertThat(exact).hasSize(ErrorText.MAX_MESSAGE).endsWith("x😀…");
    assertThat(ErrorText.code("C".repeat(500))).hasSize(ErrorText.MAX_CODE).endsWith("…");
  }

  @Test
  void failedResultsKeepOnlyStorableText() {
    Work work = Works.first("t", "k", NOW);
    var dead =
        new AttemptResult.DeadLettered(
            work, NOW, "PermanentFailure", "bad\u0000" + "z".repeat(2_000));
    assertThat(dead.message())
        .hasSize(ErrorText.MAX_MESSAGE)
        .startsWith("bad z")
        .doesNotContain("\u0000");
    var retry = new AttemptResult.Retrying(work, NOW, NOW, "TargetError", "boom\u0000", false);
    assertThat(retry.message()).isEqualTo("boom ");
  }
}
