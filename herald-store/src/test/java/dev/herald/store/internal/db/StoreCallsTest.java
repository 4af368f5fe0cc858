package dev.herald.store.internal.db;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.api.UnstorableException;
import dev.herald.store.StoreUnavailableException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

class StoreCallsTest {
  private final StoreCalls calls = new StoreCalls("postgresql");

  private void failWith(SQLException e) {
    calls.run(
        () -> {
          throw e;
        },
        "enqueue 1 messages");
  }

  @Test
  void dataTheDatabaseRefusesIsUnstorableNamingTheCallAndTheReason() {
    assertThatThrownBy(() -> failWith(new SQLException("invalid byte sequence: 0x00", "22021")))
        .isInstanceOf(UnstorableException.class)
        .hasMessageContaining("refused what it was given to enqueue 1 messages")
        .hasMessageContaining("0x00");
    assertThatThrownBy(() -> failWith(new SQLException("value too long", "22001")))
        .isInstanceOf(UnstorableException.class);
    assertThatThrownBy(
            () ->
                failWith(
                    new SQLiteException("string or blob too big", SQLiteErrorCode.SQLITE_TOOBIG)))
        .isInstanceOf(UnstorableException.class);
  }

  @Test
  void everyOtherFailureIsTheStoresAndMayPassLater() {
    assertThatThrownBy(() -> failWith(new SQLException("connection refused", "08006")))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("could not enqueue 1 messages");
    assertThatThrownBy(() -> failWith(new SQLException("duplicate key", "23505")))
        .isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(() -> failWith(new SQLiteException("busy", SQLiteErrorCode.SQLITE_BUSY)))
        .isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(() -> failWith(new SQLException("no state")))
        .isInstanceOf(StoreUnavailableException.class);
  }
}
