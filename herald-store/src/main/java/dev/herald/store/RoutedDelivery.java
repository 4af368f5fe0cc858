package dev.herald.store;

import java.util.Objects;
import java.util.Optional;

/**
 * One delivery the router made of an event: one (rule, target) pair that matched, as recorded in
 * the event's {@link Routing}.
 *
 * @param rule the rule that matched
 * @param target the target the rule sends to
 * @param deliveryKey the stable key of this delivery across its attempts
 * @param status {@link DeliveryStatus#PENDING}, or {@link DeliveryStatus#DEAD_LETTERED} when
 *     routing failed it
 * @param errorCode the error code when routing already failed it (e.g. {@code TransformError})
 * @param errorMessage the error's message, with {@code errorCode}
 */
public record RoutedDelivery(
    String rule,
    String target,
    String deliveryKey,
    DeliveryStatus status,
    Optional<String> errorCode,
    Optional<String> errorMessage) {

  public RoutedDelivery {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(deliveryKey, "deliveryKey");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(errorCode, "errorCode");
    Objects.requireNonNull(errorMessage, "errorMessage");
  }
}
