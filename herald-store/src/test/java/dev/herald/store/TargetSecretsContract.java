package dev.herald.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.api.PermanentException;
import dev.herald.core.config.TargetSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Secrets of targets are stored only encrypted, come back in clear through the store, and cannot be
 * read with another key or moved to another target.
 */
abstract class TargetSecretsContract extends ContractPart {
  static final OptionalLong ANY = OptionalLong.empty();
  static final String SECRET = "whsec_TOPSECRET42";

  /** Every value of every row of {@code targets}, as text. */
  private List<String> everyStoredValue() throws SQLException {
    List<String> values = new ArrayList<>();
    try (Connection c = rawConnection();
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT * FROM targets")) {
      int columns = rows.getMetaData().getColumnCount();
      while (rows.next()) {
        for (int i = 1; i <= columns; i++) {
          values.add(rows.getString(i));
        }
      }
    }
    return values;
  }

  private Optional<String> column(String target, String column) throws SQLException {
    try (Connection c = rawConnection();
        PreparedStatement s =
            c.prepareStatement("SELECT " + column + " FROM targets WHERE name = ?")) {
      s.setString(1, target);
      try (ResultSet row = s.executeQuery()) {
        assertThat(row.next()).as("target %s is stored", target).isTrue();
        return Optional.ofNullable(row.getString(1));
      }
    }
  }

  @Test
  void secretsAreStoredOnlyEncrypted() throws Exception {
    TargetSpec hook = Specs.webhook("hook", SECRET);

    store().putTarget(hook, ANY);

    assertThat(everyStoredValue()).noneMatch(v -> v != null && v.contains("TOPSECRET"));
    assertThat(column("hook", "settings").orElseThrow())
        .contains("\"secret\":\"***\"", "\"bearer\":\"***\"", "hooks.example.com/hook", "x-team")
        .contains("\"x-team\":\"***\"") // header values are write-only too
        .doesNotContain("orders");
    assertThat(column("hook", "secrets").orElseThrow()).startsWith("v1:");
    assertThat(store().target("hook").orElseThrow().spec()).isEqualTo(hook);
  }

  @Test
  void everySecretOfTheTypeIsSealedWhereverItSits() throws Exception {
    TargetSpec basic =
        Specs.target(
            "basic",
            "webhook",
            Specs.json(
                "{\"url\": \"https://example.com/in\", \"secret\": [\"whsec_TOPSECRET_a\","
                    + " \"whsec_TOPSECRET_b\"], \"auth\": {\"basic\": {\"username\": \"bob\","
                    + " \"password\": \"TOPSECRET_pw\"}}}"));
    TargetSpec mail =
        Specs.target(
            "mail",
            "email",
            Specs.json(
                "{\"smtp\": {\"host\": \"mail.example.com\", \"password\": \"TOPSECRET_smtp\"},"
                    + " \"from\": \"a@example.com\", \"to\": \"b@example.com\"}"));

    store().putTarget(basic, ANY);
    store().putTarget(mail, ANY);

    assertThat(everyStoredValue()).noneMatch(v -> v != null && v.contains("TOPSECRET"));
    assertThat(column("basic", "settings").orElseThrow()).contains("\"username\":\"bob\"");
    assertThat(store().target("basic").orElseThrow().spec()).isEqualTo(basic);
    assertThat(store().target("mail").orElseThrow().spec()).isEqualTo(mail);
  }

  @Test
  void aTargetWithoutSecretsHasNothingSealed() throws Exception {
    TargetSpec log = Specs.target("plain", "log", Specs.json("{}"));

    store().putTarget(log, ANY);

    assertThat(column("plain", "secrets")).isEmpty();
    assertThat(store().target("plain").orElseThrow().spec()).isEqualTo(log);
  }

  @Test
  void aChatUrlIsSealedForItIsTheWebhooksCredential() throws Exception {
    TargetSpec chat =
        Specs.target(
            "chat", "chat", Specs.json("{\"url\": \"https://chat.example.com/T0/s3cr3t\"}"));

    store().putTarget(chat, ANY);

    assertThat(column("chat", "secrets")).isPresent();
    assertThat(column("chat", "settings").orElseThrow()).doesNotContain("s3cr3t");
    assertThat(store().target("chat").orElseThrow().spec()).isEqualTo(chat);
  }

  @Test
  void replacingASecretReplacesWhatIsSealed() {
    store().putTarget(Specs.webhook("hook", "whsec_old"), ANY);

    store().putTarget(Specs.webhook("hook", SECRET), ANY);

    assertThat(store().target("hook").orElseThrow().spec().settings().get("secret").asText())
        .isEqualTo(SECRET);
  }

  @Test
  void secretsSurviveReopenWithTheSameKey() {
    TargetSpec hook = Specs.webhook("hook", SECRET);
    store().putTarget(hook, ANY);

    reopen();

    assertThat(store().target("hook").orElseThrow().spec()).isEqualTo(hook);
  }

  @Test
  void aStoreOpenedWithAnotherKeyFailsClearlyReadingSecrets() {
    store().putTarget(Specs.webhook("hook", SECRET), ANY);
    store().putTarget(Specs.logTarget("plain"), ANY);

    reopenWith(config().withSecrets(StoreConfig.randomSecrets()));

    assertThatThrownBy(() -> store().target("hook"))
        .isInstanceOf(UnreadableSecretsException.class)
        .isInstanceOf(PermanentException.class)
        .hasMessageContaining("target 'hook'")
        .hasMessageContaining("cannot be decrypted")
        .hasMessageContaining("HERALD_SECRET_KEY")
        .hasMessageNotContaining("TOPSECRET");
    assertThatThrownBy(() -> store().targets()).isInstanceOf(UnreadableSecretsException.class);
    assertThat(store().target("plain")).isPresent();
  }

  @Test
  void sealedSecretsCannotBeMovedToAnotherTarget() throws Exception {
    store().putTarget(Specs.webhook("a", SECRET), ANY);
    store().putTarget(Specs.webhook("b", "whsec_b"), ANY);

    try (Connection c = rawConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate(
          "UPDATE targets SET secrets = (SELECT t.secrets FROM targets t WHERE t.name = 'a')"
              + " WHERE name = 'b'");
    }

    assertThatThrownBy(() -> store().target("b")).isInstanceOf(UnreadableSecretsException.class);
    assertThat(store().target("a")).isPresent();
  }
}
