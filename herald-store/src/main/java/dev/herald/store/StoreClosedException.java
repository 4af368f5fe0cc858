package dev.herald.store;

/** The store was closed, or is closing, and takes no more calls. Retrying the call will not help. */
public final class StoreClosedException extends StoreUnavailableException {
  private static final long serialVersionUID = 1L;

  public StoreClosedException(String message) {
    super(message);
  }
}
