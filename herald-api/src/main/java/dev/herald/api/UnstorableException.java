package dev.herald.api;

/**
 * A store refused one row for what it holds (a value out of range, a character the database cannot
 * keep): it can never be stored as given. Only that row fails; the rows written with it are written
 * without it. A delivery that meets it becomes a dead letter with the code {@value #CODE}.
 */
public final class UnstorableException extends PermanentException {
  private static final long serialVersionUID = 1L;

  /** The dead-letter code of a delivery whose row a store refused. */
  public static final String CODE = "Unstorable";

  public UnstorableException(String message, Throwable cause) {
    super(message, cause);
  }
}
