package dev.herald.store;

import dev.herald.api.PermanentException;

/**
 * The store was closed, or is closing, and takes no more calls. Retrying the call will not help.
 */
public final class StoreClosedException extends PermanentException {
  private static final long serialVersionUID = 1L;

  public StoreClosedException(String message) {
    super(message);
  }
}
