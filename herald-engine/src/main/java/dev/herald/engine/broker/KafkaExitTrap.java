package dev.herald.engine.broker;

import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.common.utils.internals.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces Kafka's {@code Exit.exit} and {@code Exit.halt} procedures so that a fatal fault inside
 * the embedded broker (a failed log directory, a metadata fault, a dead request handler) does not
 * terminate the Herald process: the fault is handed to the running {@link EmbeddedEngine}, which
 * logs it, reports itself unhealthy and stops the broker.
 *
 * <p>Kafka's {@code Exit} is JVM-global and does not say which broker called it. Herald runs at
 * most one embedded broker per process; when tests run several, the fault goes to the most recently
 * started one that is still registered. With none registered the call is logged and ignored: the
 * JVM is never halted on Kafka's behalf. The procedures are installed on the first {@link
 * #register} and stay installed (Kafka offers no way to read back its defaults).
 *
 * <p>Thread-safety: the registry is guarded by the class monitor; the engine is called outside it,
 * on the thread that called {@code Exit}.
 */
final class KafkaExitTrap {
  private static final Logger log = LoggerFactory.getLogger(KafkaExitTrap.class);

  /** Started engines, most recent first. Guarded by {@code KafkaExitTrap.class}. */
  private static final Deque<EmbeddedEngine> engines = new ArrayDeque<>();

  private static boolean installed; // guarded by KafkaExitTrap.class

  private KafkaExitTrap() {}

  static synchronized void register(EmbeddedEngine engine) {
    if (!installed) {
      Exit.setHaltProcedure((status, message) -> trap("halt", status, message));
      Exit.setExitProcedure((status, message) -> trap("exit", status, message));
      installed = true;
    }
    engines.push(engine);
  }

  static synchronized void unregister(EmbeddedEngine engine) {
    engines.remove(engine);
  }

  private static synchronized EmbeddedEngine current() {
    return engines.peekFirst();
  }

  private static void trap(String kind, int status, String message) {
    EmbeddedEngine engine = current();
    if (engine == null) {
      log.error(
          "Kafka called Exit.{}({}, {}) while no embedded broker is running; ignored, the JVM"
              + " keeps running",
          kind,
          status,
          message,
          new Throwable("Exit." + kind + " called here"));
      return;
    }
    engine.onFatalExit(kind, status, message);
  }
}
