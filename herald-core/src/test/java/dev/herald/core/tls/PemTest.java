package dev.herald.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PemTest {
  private static KeyPair ec() throws Exception {
    return KeyPairGenerator.getInstance("EC").generateKeyPair();
  }

  private static String pem(KeyPair pair) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  @Test
  void aPkcs8KeyIsReadAndPairsOnlyWithItsOwnPublicKey() throws Exception {
    KeyPair pair = ec();
    var key = Pem.privateKey(pem(pair), "EC", "webhook.tls.clientKey");
    assertThat(Pem.pairs(key, pair.getPublic())).isTrue();
    assertThat(Pem.pairs(key, ec().getPublic())).isFalse();
  }

  @Test
  void errorsNameWhatWasReadAndNeverShowTheKey() throws Exception {
    assertThatThrownBy(() -> Pem.privateKey("-----BEGIN RSA PRIVATE KEY-----", "RSA", "the key"))
        .hasMessageStartingWith("the key is not a PKCS#8 PEM private key")
        .hasMessageContaining("openssl pkcs8");
    String ecKey = pem(ec());
    assertThatThrownBy(() -> Pem.privateKey(ecKey, "RSA", "the key"))
        .hasMessageStartingWith("the key is not a RSA private key")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(ecKey.substring(30, 60)));
    assertThatThrownBy(() -> Pem.certificates("no certificate here", "the bundle"))
        .hasMessageStartingWith("the bundle");
  }
}
