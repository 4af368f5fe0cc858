package dev.herald.targets;

import java.util.Map;

/**
 * The sources of the handlers the function target tests load from a plugin jar (package {@code
 * fn}); they are compiled at test time so that they are on no class path but the jar's.
 */
final class TestHandlers {
  private TestHandlers() {}

  private static final String IMPORTS =
      """
      package fn;

      import dev.herald.api.*;
      import dev.herald.targets.FunctionProbe;

      """;

  static final Map<String, String> SOURCES =
      Map.of(
          "fn.Recording",
          IMPORTS
              + """
              public class Recording implements EventHandler {
                public Recording() {
                  FunctionProbe.note("constructed");
                }

                @Override
                public void handle(Event event, Context context) {
                  context.logger().log(System.Logger.Level.INFO, "handled {0}", event.id());
                  FunctionProbe.called(this, event, context);
                }

                @Override
                public void close() {
                  FunctionProbe.note("closed");
                }
              }
              """,
          "fn.Refusing",
          IMPORTS
              + """
              public class Refusing implements EventHandler {
                @Override
                public void handle(Event event, Context context) {
                  throw new PermanentException("order o-1 was cancelled");
                }
              }
              """,
          "fn.Failing",
          IMPORTS
              + """
              public class Failing implements EventHandler {
                @Override
                public void handle(Event event, Context context) throws Exception {
                  if (event.detail().orElse("").contains("busy")) {
                    throw new RetryableException("mail server busy");
                  }
                  throw new java.io.IOException("mail server down");
                }
              }
              """,
          "fn.Sleeping",
          IMPORTS
              + """
              public class Sleeping implements EventHandler {
                @Override
                public void handle(Event event, Context context) throws InterruptedException {
                  if (event.detail().orElse("").contains("slow")) {
                    try {
                      Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                      FunctionProbe.note("interrupted");
                      throw e;
                    }
                  }
                  FunctionProbe.called(this, event, context);
                }
              }
              """,
          "fn.Stubborn",
          IMPORTS
              + """
              /** Waits for the test, ignoring interrupts, when the detail says "stuck". */
              public class Stubborn implements EventHandler {
                @Override
                public void handle(Event event, Context context) {
                  if (event.detail().orElse("").contains("stuck")) {
                    while (!FunctionProbe.released()) {
                      Thread.interrupted();
                      java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
                    }
                  }
                  FunctionProbe.called(this, event, context);
                }
              }
              """,
          "fn.NotAHandler",
          """
          package fn;

          public class NotAHandler {}
          """,
          "fn.NeedsArgument",
          IMPORTS
              + """
              public class NeedsArgument implements EventHandler {
                public NeedsArgument(String mailServer) {}

                @Override
                public void handle(Event event, Context context) {}
              }
              """,
          "fn.BrokenConstructor",
          IMPORTS
              + """
              public class BrokenConstructor implements EventHandler {
                public BrokenConstructor() {
                  throw new IllegalStateException("MAIL_SERVER is not set");
                }

                @Override
                public void handle(Event event, Context context) {}
              }
              """);
}
