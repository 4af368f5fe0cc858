package dev.herald.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.store.Replay;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A replay as the API shows it, with targets held back in lanes of their own. */
class ReplayJsonTest {
  private static final Instant T = Instant.parse("2026-12-08T00:00:00Z");

  @Test
  void aLaneShowsTheRecordsItHasStillToReadUpToTheHead() {
    Replay replay =
        new Replay(
            "orders",
            "fix",
            Replay.RUNNING,
            T.minusSeconds(3600),
            T,
            List.of(),
            Map.of(0, 500L, 1, 300L),
            Map.of(
                "slow", Map.of(0, 100L, 1, 300L),
                "crm", Map.of(0, 450L, 1, 280L)),
            Map.of(0, 1000L, 1, 1000L),
            800,
            2000,
            Optional.of(T.minusSeconds(1800)),
            Optional.empty(),
            T,
            T,
            Optional.empty(),
            Optional.empty());

    ObjectNode json = ReplayApi.json(replay);

    assertThat(json.path("lanes").toString())
        .isEqualTo(
            "[{\"target\":\"crm\",\"recordsBehind\":70},{\"target\":\"slow\",\"recordsBehind\":400}]");
    assertThat(json.path("eventsReplayed").asLong()).isEqualTo(800);
  }
}
