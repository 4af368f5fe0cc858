package dev.herald.store;

import dev.herald.api.PermanentException;

/**
 * A target's stored secrets cannot be decrypted: the store was opened with another secret key than
 * the one they were sealed with ({@code HERALD_SECRET_KEY} or the key file changed), or the stored
 * value was altered. Retrying will not help; restore the key, or store the target again with its
 * secrets.
 */
public final class UnreadableSecretsException extends PermanentException {
  private static final long serialVersionUID = 1L;

  public UnreadableSecretsException(String message, Throwable cause) {
    super(message, cause);
  }
}
