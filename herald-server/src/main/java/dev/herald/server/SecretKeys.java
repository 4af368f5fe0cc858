package dev.herald.server;

import dev.herald.core.secret.SecretBox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Where the key that encrypts stored secrets comes from: HERALD_SECRET_KEY, or a key file made on
 * the first start in the data dir (readable by its owner only).
 */
final class SecretKeys {
  static final String FILE = "secret.key";

  private SecretKeys() {}

  static SecretBox load(HeraldConfig config) {
    SecureRandom random = new SecureRandom();
    if (config.secretKey().isPresent()) {
      return SecretBox.fromBase64(config.secretKey().get(), random);
    }
    Path file = config.dataDir().resolve(FILE);
    try {
      if (!Files.exists(file)) {
        Path tmp = Files.createTempFile(config.dataDir(), "secret", ".tmp");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(tmp, Base64.getEncoder().encodeToString(SecretBox.newKey(random)) + "\n");
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
      return SecretBox.fromBase64(Files.readString(file), random);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the secret key " + file, e);
    }
  }
}
