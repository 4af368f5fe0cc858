package dev.herald.core.event;

/** The outcome of validating one entry of a publish request. */
public sealed interface EntryCheck {

  /** The entry is valid and ready to store. */
  record Valid(NewEvent event) implements EntryCheck {}

  /**
   * The entry is rejected.
   *
   * @param code one of the entry error codes of the API ({@code MissingField}, ...)
   * @param field the entry field at fault, relative to the entry
   */
  record Invalid(String code, String message, String field) implements EntryCheck {}
}
