package dev.herald.targets;

import dev.herald.api.Context;
import dev.herald.api.Event;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the test handlers (compiled by {@link Plugins} into a plugin jar) report back to the tests.
 * Lives on the test class path, which is the parent of every plugin class loader, so a handler and
 * a test see the same statics.
 */
public final class FunctionProbe {
  /** One call of a handler, as the handler saw it. */
  public record Call(Object handler, Event event, Context context, String thread) {}

  private static final Queue<Call> CALLS = new ConcurrentLinkedQueue<>();
  private static final Queue<String> NOTES = new ConcurrentLinkedQueue<>();
  private static volatile boolean released;

  private FunctionProbe() {}

  public static void called(Object handler, Event event, Context context) {
    CALLS.add(new Call(handler, event, context, Thread.currentThread().getName()));
  }

  public static void note(String note) {
    NOTES.add(note);
  }

  /** Whether handlers that wait for the test may go on. */
  public static boolean released() {
    return released;
  }

  static void release() {
    released = true;
  }

  static List<Call> calls() {
    return List.copyOf(CALLS);
  }

  static List<String> notes() {
    return List.copyOf(NOTES);
  }

  static void reset() {
    CALLS.clear();
    NOTES.clear();
    released = false;
  }
}
