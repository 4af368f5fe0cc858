package dev.herald.api;

/**
 * A Java consumer of events: the code a {@code function} target runs. Package it in a jar with a
 * public no-argument constructor, put the jar in Herald's plugins directory and name the class in
 * the target's settings: {@code {"type": "function", "function": {"handler":
 * "com.acme.OrderMailer", "jar": "orders.jar"}}}.
 *
 * <p>Herald creates one instance per target when the target is stored or loaded, keeps it for the
 * target's life and calls {@link #close} when the target is changed, deleted or Herald stops.
 * {@link #handle} is called from up to the target's {@code concurrency.max} threads at once (at
 * most 64; platform threads named {@code herald-fn-<target>-<n>}), so an implementation must be
 * thread-safe.
 *
 * <p>What {@link #handle} does decides the outcome:
 *
 * <ul>
 *   <li>it returns: the delivery succeeded;
 *   <li>it throws {@link PermanentException}: trying again will not help, the delivery becomes a
 *       dead letter with code {@code PermanentFailure} and the exception's message;
 *   <li>it throws anything else (including {@link RetryableException}): the attempt is retried with
 *       backoff (code {@code FunctionError}) until the target's attempts or event age run out;
 *   <li>it is still running at {@link Context#deadline()}: the attempt counts as {@code Timeout}
 *       and is retried, and the thread running it is interrupted. Honour interrupts (blocking calls
 *       that throw {@link InterruptedException}, or check {@link Thread#isInterrupted()} in loops):
 *       a handler that does not return is counted as stuck.
 * </ul>
 *
 * <p>A delivery may be attempted more than once, and in rare cases (a crash, a timeout after the
 * work was done) succeed twice: use {@link Context#deliveryKey()} to drop a repeat.
 */
public interface EventHandler extends AutoCloseable {

  /**
   * Handles one delivery attempt of one event.
   *
   * @throws PermanentException if the event can never be handled (it becomes a dead letter)
   * @throws Exception for anything that may pass when tried again later
   */
  void handle(Event event, Context context) throws Exception;

  /**
   * Releases what the handler holds. Called once, after the last {@link #handle}; what it throws is
   * logged and otherwise ignored.
   */
  @Override
  default void close() {}
}
