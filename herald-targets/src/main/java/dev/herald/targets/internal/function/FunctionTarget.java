package dev.herald.targets.internal.function;

import dev.herald.api.Context;
import dev.herald.api.Event;
import dev.herald.api.EventHandler;
import dev.herald.api.PermanentException;
import dev.herald.api.delivery.Delivery;
import dev.herald.api.delivery.Outcome;
import dev.herald.api.delivery.Target;
import dev.herald.core.config.TargetSpec;
import java.net.URLClassLoader;
import java.time.Duration;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The {@code function} target: calls a user's {@link EventHandler}, loaded from a plugin jar in a
 * class loader of its own, on the target's {@link HandlerPool}. The handler returning is {@code
 * Delivered}; throwing {@link PermanentException} is {@code Permanent("PermanentFailure")}; any
 * other exception is {@code Retry("FunctionError")}; not returning by the deadline is {@code
 * Retry("Timeout")}.
 *
 * <p>Thread-safety: the handler instance is created once and shared; {@link #deliver} may be called
 * from any number of threads, and the handler runs on the pool's threads with the target, rule,
 * event id and delivery key in their MDC. {@link #close} is called once, after the last delivery.
 */
final class FunctionTarget implements Target {
  private static final Logger LOG = LoggerFactory.getLogger(FunctionTarget.class);
  static final Duration STUCK_AFTER = Duration.ofSeconds(1);
  static final int MAX_MESSAGE = 1000;

  private final String name;
  private final FunctionSettings settings;
  private final URLClassLoader loader;
  private final EventHandler handler;
  private final HandlerPool pool;
  private final System.Logger handlerLogger;

  FunctionTarget(
      TargetSpec spec,
      FunctionSettings settings,
      HandlerLoader.Loaded loaded,
      InstantSource clock) {
    this.name = spec.name();
    this.settings = settings;
    this.loader = loaded.loader();
    this.handler = loaded.handler();
    this.pool = new HandlerPool(name, spec.concurrencyMax(), loader, clock, STUCK_AFTER);
    this.handlerLogger = new HandlerLogger(LoggerFactory.getLogger("herald.function." + name));
  }

  @Override
  public Outcome deliver(Delivery delivery) {
    Event event = FunctionEvents.of(delivery);
    Context context =
        new Context(
            name,
            delivery.rule(),
            delivery.eventId(),
            delivery.deliveryKey(),
            delivery.attempt(),
            delivery.deadline(),
            handlerLogger);
    Outcome outcome =
        pool.run(() -> invoke(event, context), delivery.deadline(), delivery.deliveryKey());
    LOG.debug(
        "target {} delivery {} attempt {}: {}",
        name,
        delivery.deliveryKey(),
        delivery.attempt(),
        outcome);
    return outcome;
  }

  /** Runs on a pool thread. */
  private Outcome invoke(Event event, Context context) {
    try (var a = MDC.putCloseable("target", name);
        var b = MDC.putCloseable("rule", context.rule());
        var c = MDC.putCloseable("eventId", context.eventId());
        var d = MDC.putCloseable("deliveryKey", context.deliveryKey())) {
      handler.handle(event, context);
      return new Outcome.Delivered();
    } catch (PermanentException e) {
      String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
      return new Outcome.Permanent("PermanentFailure", cap(message));
    } catch (Exception e) {
      return new Outcome.Retry("FunctionError", cap(e.toString()));
    }
  }

  /** A handler's message goes into dead letters and logs: keep it to a readable length. */
  private static String cap(String message) {
    return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "…";
  }

  /** Stops the pool, then closes the handler and its class loader. */
  @Override
  public void close() {
    pool.close();
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      handler.close();
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("function target {}: {}.close() threw {}", name, settings.handler(), e.toString());
    } finally {
      thread.setContextClassLoader(previous);
      HandlerLoader.closeQuietly(loader);
    }
  }

  @Override
  public String toString() {
    return "function target "
        + name
        + " ("
        + settings.handler()
        + " from "
        + settings.jarName()
        + ")";
  }
}
