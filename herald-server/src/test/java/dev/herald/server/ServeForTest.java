package dev.herald.server;

import java.nio.file.Path;

/** Runs an embedded Herald on the data dir of {@code args[0]} until killed; for child-JVM tests. */
final class ServeForTest {
  private ServeForTest() {}

  public static void main(String[] args) throws InterruptedException {
    Herald herald = Herald.start(HeraldConfig.embedded(Path.of(args[0])).withPort(0));
    Runtime.getRuntime().addShutdownHook(new Thread(herald::close));
    Thread.currentThread().join();
  }
}
