package dev.herald.store;

import java.util.Objects;

/** One receive's hold on a message: the message id and the lease token of that receive. */
public record QueueLease(String messageId, String leaseToken) {
  public QueueLease {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(leaseToken, "leaseToken");
  }
}
