package dev.herald.targets.internal.email;

import dev.herald.api.delivery.Outcome;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

/**
 * Maps a failed SMTP exchange to an {@link Outcome}, by the exception types Angus Mail throws: a
 * 5xx reply (a rejected recipient, sender or message) is permanent, {@code SmtpStatus<nnn>}; a 4xx
 * reply is retried with the same code; refused authentication is permanent, {@code
 * SmtpAuthenticationFailed}; a connection that could not be made or broke is retried, {@code
 * ConnectionFailed}. When several recipients fail, any 5xx makes the whole message permanent (no
 * recipient got it: partial sending is off). Stateless.
 */
final class SmtpOutcomes {
  private SmtpOutcomes() {}

  /** An SMTP reply code and the server's words, from one exception in the chain. */
  private record Reply(int code, String text) {}

  static Outcome of(MessagingException failure, String where) {
    List<Throwable> chain = new ArrayList<>();
    collect(failure, Collections.newSetFromMap(new IdentityHashMap<>()), chain);
    Optional<Reply> permanent = first(chain, 500);
    if (permanent.isPresent()) {
      Reply r = permanent.get();
      return new Outcome.Permanent("SmtpStatus" + r.code(), where + " refused: " + r.text());
    }
    Optional<Reply> transient_ = first(chain, 400);
    if (transient_.isPresent()) {
      Reply r = transient_.get();
      return new Outcome.Retry("SmtpStatus" + r.code(), where + " deferred: " + r.text());
    }
    if (chain.stream().anyMatch(AuthenticationFailedException.class::isInstance)) {
      return new Outcome.Permanent(
          "SmtpAuthenticationFailed", where + " refused the credentials: " + failure.getMessage());
    }
    String cause =
        chain.stream()
            .filter(IOException.class::isInstance)
            .map(Throwable::toString)
            .findFirst()
            .orElse(failure.getMessage());
    return new Outcome.Retry("ConnectionFailed", where + ": " + cause);
  }

  /** The first reply in {@code from}..{@code from + 99}, in the order the chain was walked. */
  private static Optional<Reply> first(List<Throwable> chain, int from) {
    return chain.stream()
        .map(SmtpOutcomes::reply)
        .flatMap(Optional::stream)
        .filter(r -> r.code() >= from && r.code() < from + 100)
        .findFirst();
  }

  private static Optional<Reply> reply(Throwable t) {
    return switch (t) {
      case SMTPAddressFailedException e ->
          Optional.of(new Reply(e.getReturnCode(), e.getAddress() + ": " + text(e)));
      case SMTPSenderFailedException e ->
          Optional.of(new Reply(e.getReturnCode(), "sender " + e.getAddress() + ": " + text(e)));
      case SMTPSendFailedException e when e.getReturnCode() > 0 ->
          Optional.of(new Reply(e.getReturnCode(), text(e)));
      default -> Optional.empty();
    };
  }

  private static String text(MessagingException e) {
    String message = e.getMessage();
    return message == null ? "" : message.replaceAll("\\p{Cntrl}", " ").strip();
  }

  /** Every exception reachable through causes and next exceptions, each once, depth first. */
  private static void collect(Throwable t, Set<Throwable> seen, List<Throwable> chain) {
    while (t != null && seen.add(t)) {
      chain.add(t);
      if (t instanceof MessagingException m && m.getNextException() != null) {
        collect(m.getNextException(), seen, chain);
      }
      t = t.getCause();
    }
  }
}
