package dev.herald.engine.delivery;

import java.util.Map;
import java.util.Optional;
import org.slf4j.MDC;

/**
 * The ids of a delivery in the logging context (MDC) of the thread that works on it, so that every
 * line logged there (by the engine or by a target) names it: {@code eventId}, {@code bus}, {@code
 * rule}, {@code target}, {@code deliveryKey}, {@code attempt} and {@code traceId} (from the W3C
 * {@code traceparent}, when the event has one). Stateless; the MDC is per thread.
 */
final class DeliveryMdc {
  static final String EVENT_ID = "eventId";
  static final String BUS = "bus";
  static final String RULE = "rule";
  static final String TARGET = "target";
  static final String DELIVERY_KEY = "deliveryKey";
  static final String ATTEMPT = "attempt";
  static final String TRACE_ID = "traceId";

  private DeliveryMdc() {}

  /** Puts the ids of {@code work} (a few map puts: cheap enough for every attempt). */
  static void put(Work work) {
    MDC.put(EVENT_ID, work.eventId());
    MDC.put(BUS, work.bus());
    MDC.put(RULE, work.rule());
    MDC.put(TARGET, work.target());
    MDC.put(DELIVERY_KEY, work.deliveryKey());
    MDC.put(ATTEMPT, Integer.toString(work.attempt()));
    Optional<String> traceId = work.traceparent().flatMap(DeliveryMdc::traceId);
    if (traceId.isPresent()) {
      MDC.put(TRACE_ID, traceId.get());
    } else {
      MDC.remove(TRACE_ID);
    }
  }

  /** Clears the thread's MDC (the end of a delivery's work on a thread). */
  static void clear() {
    MDC.clear();
  }

  /**
   * Runs {@code log} with the ids of {@code work} in the MDC, then restores what was there: for
   * lines about a delivery logged on a thread that is not working on it (the retry scheduler, a
   * recorder), or on one that is (then nothing changes).
   */
  static void with(Work work, Runnable log) {
    if (work.deliveryKey().equals(MDC.get(DELIVERY_KEY))
        && Integer.toString(work.attempt()).equals(MDC.get(ATTEMPT))) {
      log.run();
      return;
    }
    Map<String, String> before = MDC.getCopyOfContextMap();
    put(work);
    try {
      log.run();
    } finally {
      if (before == null) {
        MDC.clear();
      } else {
        MDC.setContextMap(before);
      }
    }
  }

  /**
   * The trace id of a W3C {@code traceparent} ({@code 00-<32 hex>-<16 hex>-<2 hex>}); empty when it
   * is not one.
   */
  static Optional<String> traceId(String traceparent) {
    if (traceparent.length() < 55
        || traceparent.charAt(2) != '-'
        || traceparent.charAt(35) != '-') {
      return Optional.empty();
    }
    String id = traceparent.substring(3, 35);
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return Optional.empty();
      }
    }
    return Optional.of(id);
  }
}
