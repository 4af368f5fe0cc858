package dev.herald.targets.internal.audit;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.herald.api.UnstorableException;
import dev.herald.api.delivery.Delivery;
import dev.herald.api.delivery.Outcome;
import dev.herald.api.delivery.Target;
import dev.herald.core.audit.AuditRecord;
import dev.herald.targets.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code audit} target: appends each delivered input (as UTF-8 text, exactly as received) to
 * the audit log, with the envelope's source, detail type and time when it has them. A delivery
 * whose key the log already holds is delivered too (nothing is added); a log that cannot be written
 * is retried with the code {@code StoreUnavailable}, never dead-lettered at once.
 *
 * <p>Thread-safety: immutable; the log is thread-safe.
 */
final class AuditTarget implements Target {
  private static final Logger LOG = LoggerFactory.getLogger(AuditTarget.class);

  private final String name;
  private final AuditLog log;

  AuditTarget(String name, AuditLog log) {
    this.name = name;
    this.log = log;
  }

  @Override
  public Outcome deliver(Delivery delivery) {
    AuditRecord record =
        AuditRecord.of(
            delivery.deliveryKey(), delivery.eventId(), new String(delivery.input(), UTF_8));
    try {
      if (!log.append(record)) {
        LOG.debug("target {}: delivery {} is in the audit log already", name, record.deliveryKey());
      }
      return new Outcome.Delivered();
    } catch (UnstorableException e) { // refused for what it holds: it never will be stored
      return new Outcome.Permanent(UnstorableException.CODE, e.getMessage());
    } catch (RuntimeException e) { // the store's RetryableException, or a closing store
      return new Outcome.Retry(
          "StoreUnavailable", "the audit log cannot be written: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    // the log belongs to Herald
  }
}
