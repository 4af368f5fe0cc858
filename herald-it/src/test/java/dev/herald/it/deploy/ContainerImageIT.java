package dev.herald.it.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The container image without a container engine (none runs here, and no base image can be pulled):
 * the runtime stage of {@code deploy/docker/Dockerfile} is laid out in a directory the way {@code
 * docker build} would lay it out — each {@code COPY --from=build} from the built repository (the
 * build stage copies the repository to {@code /src} and runs the Maven wrapper, as {@code ./mvnw
 * package} did before this test), the JRE of the base image as a {@code JAVA_HOME} holding only
 * {@code bin/java} (no compiler), the volume owned by the image's user with mode 700, the
 * class-data warm-up {@code RUN} — and the image's {@code ENTRYPOINT} and {@code CMD} are run with
 * its {@code ENV} and {@code WORKDIR}, as its {@code USER} (uid and gid switched with setpriv, so
 * this needs root, as CI has). Paths in the image are paths under that directory.
 */
class ContainerImageIT {
  private static final String KEY = "hk_image.image-test-secret-0123456789";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static Dockerfile image;
  private static Path fs; // the image's file system
  private static Dockerfile.Stage runtime;

  @BeforeAll
  static void layOutTheImage() throws IOException, InterruptedException {
    Assumptions.assumeTrue(
        new com.sun.security.auth.module.UnixSystem().getUid() == 0,
        "switching to the image's user needs root");
    image = Dockerfile.read();
    runtime = image.runtime();
    Dockerfile.Stage build = image.stage("build");
    assertThat(build.from()).startsWith("eclipse-temurin:21-jdk");
    assertThat(runtime.from()).startsWith("eclipse-temurin:21-jre");
    assertThat(build.all("COPY")).containsExactly(". /src");
    assertThat(build.all("RUN"))
        .singleElement()
        .asString()
        .contains("./mvnw", "package -DskipTests");

    fs = Files.createTempDirectory(Path.of("target"), "image-").toAbsolutePath();
    // the base image: Temurin's JRE at /opt/java/openjdk (JAVA_HOME there), no javac
    Path jre = inImage("/opt/java/openjdk");
    Files.createDirectories(jre.resolve("bin"));
    Files.createSymbolicLink(
        jre.resolve("bin/java"), Path.of(ProcessHandle.current().info().command().orElseThrow()));
    for (String copy : runtime.all("COPY")) {
      String[] parts = copy.split("\\s+");
      assertThat(parts).as("COPY --from=build <src> <dst>: " + copy).hasSize(3);
      assertThat(parts[0]).isEqualTo("--from=build");
      assertThat(parts[1]).startsWith("/src/");
      Path source = DeployTools.ROOT.resolve(parts[1].substring("/src/".length()));
      assertThat(source).as("built by the build stage").isRegularFile();
      Path target = inImage(parts[2]);
      Files.createDirectories(target.getParent());
      try {
        Files.createLink(target, source); // the same bytes, without copying 150 MB
      } catch (IOException | UnsupportedOperationException e) {
        Files.copy(source, target);
      }
      if (Files.isExecutable(source)) {
        target.toFile().setExecutable(true, false); // COPY keeps the mode
      }
    }
    // RUN: the user and its volume (checked, then done here without adding a user to this machine)
    String user = runtime.all("RUN").get(0);
    String dataDir = runtime.env().get("HERALD_DATA_DIR");
    assertThat(user)
        .contains("--uid " + image.runtimeUid(), "--gid " + image.runtimeGid())
        .contains("chown herald:herald " + dataDir, "chmod 700 " + dataDir);
    assertThat(Dockerfile.execForm(runtime.all("VOLUME").get(0))).containsExactly(dataDir);
    freshVolume();
    Path volume = inImage(dataDir);
    try (Stream<Path> dirs = Files.walk(fs)) {
      dirs.filter(Files::isDirectory)
          .filter(d -> !d.equals(volume))
          .forEach(d -> d.toFile().setExecutable(true, false));
    }
    fs.toFile().setReadable(true, false);
    // RUN: the class-data warm-up, as root at build time, run the same way here
    String warmUp = runtime.all("RUN").get(1);
    assertThat(warmUp).startsWith("/opt/herald/herald --version");
    List<String> command = List.of("sh", "-c", warmUp.replace("/opt/", fs + "/opt/"));
    DeployTools.run(command, fs, baseEnvironment()).assertSuccess(command);
  }

  @AfterAll
  static void removeTheImage() throws IOException {
    if (fs != null) {
      try (Stream<Path> paths = Files.walk(fs)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * The image binds every address, so Herald refuses to start without an admin key (AuthModesTest
   * shows the refusal); the image and the guide say so.
   */
  @Test
  void theImageBindsAllAddressesAndSaysThatItNeedsABootstrapKey() throws IOException {
    assertThat(runtime.env()).containsEntry("HERALD_HOST", "0.0.0.0");
    assertThat(Files.readString(Dockerfile.PATH)).contains("HERALD_BOOTSTRAP_KEY");
    assertThat(Files.readString(DeployTools.ROOT.resolve("docs/deploy.md")))
        .contains("HERALD_BOOTSTRAP_KEY", "refusing to bind 0.0.0.0");
  }

  @Test
  void withTheKeyItServesOnTheJreAsTheNonRootUserWithItsDataOnTheVolume() throws Exception {
    int port = freePort();
    // as `docker run -e HERALD_HOST=127.0.0.1 -e HERALD_BOOTSTRAP_KEY=...` (tests bind loopback)
    Map<String, String> environment =
        imageEnvironment(
            Map.of(
                "HERALD_HOST",
                "127.0.0.1",
                "HERALD_PORT",
                String.valueOf(port),
                "HERALD_BOOTSTRAP_KEY",
                KEY));
    Path log = fs.resolve("serve.log");
    Process herald = start(environment, log);
    try {
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(250))
          .untilAsserted(
              () -> {
                assertThat(herald.isAlive()).as(Files.readString(log)).isTrue();
                assertThat(get(port, "/health/ready", null)).isEqualTo(200);
              });
      assertThat(uidOf(herald.pid())).isEqualTo(image.runtimeUid());
      // made at build time (the warm-up RUN), readable by the image's user
      assertThat(inImage("/opt/herald/herald-cli/target/herald.jsa")).isReadable();
      assertThat(get(port, "/v1/buses", null)).isEqualTo(401);
      assertThat(get(port, "/v1/buses", KEY)).isEqualTo(200);
      Path volume = inImage(runtime.env().get("HERALD_DATA_DIR"));
      try (Stream<Path> files = Files.list(volume)) {
        List<Path> written = files.toList();
        assertThat(written).isNotEmpty();
        for (Path file : written) {
          assertThat(Files.getAttribute(file, "unix:uid"))
              .as(file.toString())
              .isEqualTo(image.runtimeUid());
        }
      }
    } finally {
      herald.destroy(); // SIGTERM, as the kubelet stops a pod
      if (!herald.waitFor(1, TimeUnit.MINUTES)) {
        herald.destroyForcibly();
      }
    }
  }

  /** The image's ENTRYPOINT and CMD on an empty volume, its output to {@code log}. */
  private static Process start(Map<String, String> environment, Path log) throws IOException {
    freshVolume();
    List<String> cmd = Dockerfile.execForm(runtime.last("CMD").orElseThrow());
    ProcessBuilder builder =
        new ProcessBuilder(asImageUser(cmd))
            .directory(inImage(runtime.last("WORKDIR").orElseThrow()).toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().clear();
    builder.environment().putAll(environment);
    return builder.start();
  }

  /** The volume as a new container gets it: empty, the image user's, mode 700. */
  private static void freshVolume() throws IOException {
    Path volume = inImage(runtime.env().get("HERALD_DATA_DIR"));
    if (Files.exists(volume)) {
      try (Stream<Path> paths = Files.walk(volume)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(volume);
    Files.setAttribute(volume, "unix:uid", image.runtimeUid());
    Files.setAttribute(volume, "unix:gid", image.runtimeGid());
    Files.setPosixFilePermissions(volume, PosixFilePermissions.fromString("rwx------"));
  }

  /** The ENTRYPOINT with these arguments, as the image's USER. */
  private static List<String> asImageUser(List<String> arguments) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "setpriv",
                "--reuid=" + image.runtimeUid(),
                "--regid=" + image.runtimeGid(),
                "--clear-groups",
                "--"));
    for (String part : Dockerfile.execForm(runtime.last("ENTRYPOINT").orElseThrow())) {
      command.add(part.startsWith("/") ? inImage(part).toString() : part);
    }
    command.addAll(arguments);
    return command;
  }

  /** What every process in the image has: the base image's PATH and JAVA_HOME. */
  private static Map<String, String> baseEnvironment() {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("PATH", "/usr/bin:/bin");
    environment.put("JAVA_HOME", inImage("/opt/java/openjdk").toString());
    return environment;
  }

  /** The image's ENV (paths in the image mapped into it) over the base's, then these. */
  private static Map<String, String> imageEnvironment(Map<String, String> overrides) {
    Map<String, String> environment = baseEnvironment();
    runtime
        .env()
        .forEach(
            (name, value) ->
                environment.put(name, value.startsWith("/") ? inImage(value).toString() : value));
    environment.putAll(overrides);
    return environment;
  }

  private static Path inImage(String path) {
    return fs.resolve(path.substring(1));
  }

  private static int get(int port, String path, String key) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Duration.ofSeconds(5));
      if (key != null) {
        request.header("Authorization", "Bearer " + key);
      }
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int uidOf(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("Uid:")) {
        return Integer.parseInt(line.split("\\s+")[1]);
      }
    }
    throw new IllegalStateException("no Uid in /proc/" + pid + "/status");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
