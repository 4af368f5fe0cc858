package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What Herald keeps on disk is its owner's alone, checked by stat: the launcher sets {@code umask
 * 077}; the data dir is 0700; the files Herald, SQLite and the embedded broker write there have no
 * group or other permissions.
 */
class FilePermissionsTest {
  private static final Path LAUNCHER = Path.of("..", "herald").toAbsolutePath().normalize();

  private static String mode(Path path) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Every file and directory below {@code dir} whose mode gives group or others anything. */
  private static List<String> openToOthers(Path dir) throws IOException {
    List<String> open = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .filter(p -> !Files.isSymbolicLink(p))
          .forEach(
              p -> {
                String mode = mode(p);
                if (!mode.substring(3).equals("------")) {
                  open.add(dir.relativize(p) + " " + mode);
                }
              });
    }
    return open;
  }

  @Test
  void theLauncherSetsUmask077BeforeItStartsJava() throws Exception {
    // the real script, beside a stand-in JDK whose java records the umask it was started with
    Path root = Files.createTempDirectory("launcher");
    Files.copy(LAUNCHER, root.resolve("herald"));
    Files.createDirectories(root.resolve(".mvn"));
    Path jdk = Files.createDirectories(root.resolve("jdk/bin"));
    Path seen = root.resolve("umask.txt");
    Files.writeString(
        root.resolve(".mvn/find-jdk.sh"),
        "herald_find_jdk() { JAVA_HOME='" + root.resolve("jdk") + "'; herald_major=25; }\n");
    Path java = jdk.resolve("java");
    Files.writeString(java, "#!/bin/sh\numask > '" + seen + "'\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
    Files.createDirectories(root.resolve("herald-cli/target"));
    Files.writeString(root.resolve("herald-cli/target/herald.jar"), "");
    Process process =
        new ProcessBuilder("sh", "-c", "umask 022; exec sh ./herald version")
            .directory(root.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as(output).isZero();
    assertThat(Files.readString(seen).strip()).isEqualTo("0077");
  }

  @Test
  void aNewDataDirIs0700AndHeraldsOwnFilesAre0600() throws Exception {
    Path dir = TestHerald.tempDir().resolve("data");
    try (Herald herald = Herald.start(HeraldConfig.embedded(dir).withPort(0))) {
      assertThat(mode(dir)).isEqualTo("rwx------");
      assertThat(mode(dir.resolve(SecretKeys.FILE))).isEqualTo("rw-------");
      assertThat(mode(dir.resolve("runtime.properties"))).isEqualTo("rw-------");
      assertThat(herald.port()).isPositive();
    }
  }

  @Test
  void anExistingDataDirOpenToOthersIsTightenedAtStart() throws Exception {
    Path dir = TestHerald.tempDir().resolve("loose");
    Files.createDirectories(dir.resolve("old/nested"));
    Files.writeString(dir.resolve("old/nested/state.db"), "x");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(dir.resolve("old"), PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.setPosixFilePermissions(
        dir.resolve("old/nested/state.db"), PosixFilePermissions.fromString("rw-r--r--"));
    try (Herald herald = Herald.start(HeraldConfig.embedded(dir).withPort(0))) {
      assertThat(mode(dir)).isEqualTo("rwx------");
      assertThat(mode(dir.resolve("old"))).isEqualTo("rwx------");
      assertThat(mode(dir.resolve("old/nested/state.db"))).isEqualTo("rw-------");
    }
  }

  @Test
  void underTheLaunchersUmaskNothingHeraldSqliteOrTheBrokerWriteIsOpenToOthers() throws Exception {
    Path dir = TestHerald.tempDir().resolve("served");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // the launcher's umask, then a JVM running Herald from this test's class path
    Process child =
        new ProcessBuilder(
                "sh",
                "-c",
                "umask 077; exec \"$0\" --enable-native-access=ALL-UNNAMED -Xmx512m -cp \"$1\""
                    + " dev.herald.server.ServeForTest \"$2\"",
                java,
                System.getProperty("java.class.path"),
                dir.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> Files.exists(dir.resolve("runtime.properties")) || !child.isAlive());
      assertThat(child.isAlive()).isTrue();
      try (Stream<Path> files = Files.walk(dir)) {
        Set<String> names = Set.copyOf(files.map(p -> p.getFileName().toString()).toList());
        assertThat(names).contains("herald.db", SecretKeys.FILE); // SQLite and Herald wrote here
        assertThat(names).anyMatch(n -> n.endsWith(".log")); // and the broker its segments
      }
      assertThat(mode(dir)).isEqualTo("rwx------");
      assertThat(openToOthers(dir)).isEmpty();
    } finally {
      child.destroy();
      if (!child.waitFor(30, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    }
  }
}
