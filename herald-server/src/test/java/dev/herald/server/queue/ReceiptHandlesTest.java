package dev.herald.server.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.secret.SecretBox;
import dev.herald.store.QueueLease;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class ReceiptHandlesTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final byte[] key = SecretBox.newKey(RANDOM);
  private final ReceiptHandles handles = new ReceiptHandles(key);
  private final QueueLease lease =
      new QueueLease("01JD7QABCDEFGHJKMNPQRSTVWX", "tOkEn_-123456789012345");

  @Test
  void aHandleNamesTheLeaseItWasIssuedFor() {
    String handle = handles.issue("jobs", lease);

    assertThat(handles.verify("jobs", handle)).contains(lease);
    assertThat(new ReceiptHandles(key.clone()).verify("jobs", handle)).contains(lease);
  }

  @Test
  void aHandleOfAnotherQueueOrKeyIsNotValid() {
    String handle = handles.issue("jobs", lease);

    assertThat(handles.verify("other", handle)).isEmpty();
    assertThat(new ReceiptHandles(SecretBox.newKey(RANDOM)).verify("jobs", handle)).isEmpty();
  }

  @Test
  void anAlteredOrMalformedHandleIsNotValid() {
    String handle = handles.issue("jobs", lease);
    String otherLease = handles.issue("jobs", new QueueLease(lease.messageId(), "another-token"));
    String swapped =
        otherLease.substring(0, otherLease.indexOf('.')) + handle.substring(handle.indexOf('.'));

    for (String bad :
        new String[] {
          "", ".", "abc", "abc.def", swapped, handle + "x", "!!." + handle, "x".repeat(300)
        }) {
      assertThat(handles.verify("jobs", bad)).as(bad).isEmpty();
    }
  }
}
