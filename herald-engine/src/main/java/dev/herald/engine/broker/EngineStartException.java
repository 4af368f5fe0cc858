package dev.herald.engine.broker;

/**
 * The engine could not be started or reached. Permanent for this process: the message names what to
 * fix (a setting, a data directory, an address), and retrying without changing it will not help.
 */
public final class EngineStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EngineStartException(String message) {
    super(message);
  }

  public EngineStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
