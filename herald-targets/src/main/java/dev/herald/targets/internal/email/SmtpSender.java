package dev.herald.targets.internal.email;

import dev.herald.api.delivery.Outcome;
import dev.herald.targets.TargetContext;
import dev.herald.targets.internal.http.AddressPolicy;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Properties;

/**
 * Sends messages to one SMTP server through one mail {@link Session}: a connection per attempt
 * (connect, optional STARTTLS and login, one message, quit), to the address the {@link
 * AddressPolicy} checked, and abandoned at the attempt's deadline ({@link DeadlineSockets}). TLS
 * ({@code tls} and {@code starttls}) verifies the server's certificate against the host name;
 * {@code starttls} refuses a server that does not offer it.
 *
 * <p>Thread-safety: the session and the socket factory are shared and safe for concurrent use; each
 * {@link #send} has its own {@link Transport}.
 */
final class SmtpSender {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  private final EmailSettings.Smtp smtp;
  private final Session session;
  private final DeadlineSockets sockets;
  private final AddressPolicy addresses;
  private final InstantSource clock;
  private final String where;

  SmtpSender(EmailSettings.Smtp smtp, TargetContext context) {
    this.smtp = smtp;
    this.clock = context.clock();
    this.sockets = new DeadlineSockets(clock);
    this.addresses = new AddressPolicy(context.outbound());
    this.session = Session.getInstance(properties(smtp, sockets));
    this.where = "SMTP " + smtp.host() + ":" + smtp.port();
  }

  private static Properties properties(EmailSettings.Smtp smtp, DeadlineSockets sockets) {
    Properties p = new Properties();
    p.setProperty("mail.transport.protocol", "smtp");
    p.setProperty("mail.smtp.host", smtp.host());
    p.setProperty("mail.smtp.port", Integer.toString(smtp.port()));
    p.setProperty("mail.smtp.connectiontimeout", Long.toString(CONNECT_TIMEOUT.toMillis()));
    p.setProperty("mail.smtp.timeout", Long.toString(READ_TIMEOUT.toMillis()));
    p.put("mail.smtp.socketFactory", sockets); // an instance: Angus Mail reads it with get()
    p.setProperty("mail.smtp.socketFactory.fallback", "false");
    p.setProperty("mail.smtp.localhost", LocalName.VALUE);
    p.setProperty("mail.smtp.auth", Boolean.toString(smtp.username().isPresent()));
    p.setProperty("mail.smtp.ssl.enable", Boolean.toString(smtp.tls() == EmailSettings.Tls.TLS));
    p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
    boolean starttls = smtp.tls() == EmailSettings.Tls.STARTTLS;
    p.setProperty("mail.smtp.starttls.enable", Boolean.toString(starttls));
    p.setProperty("mail.smtp.starttls.required", Boolean.toString(starttls));
    return p;
  }

  Session session() {
    return session;
  }

  /** Sends {@code message} to its recipients; never throws. */
  Outcome send(MimeMessage message, Instant deadline) {
    if (!clock.instant().isBefore(deadline)) {
      return new Outcome.Retry("Timeout", where + ": the deadline passed before sending");
    }
    InetAddress address;
    try {
      address = addresses.resolve(smtp.host(), smtp.port());
    } catch (AddressPolicy.Forbidden e) {
      return new Outcome.Permanent("ForbiddenAddress", e.getMessage());
    } catch (UnknownHostException e) {
      return new Outcome.Retry("ConnectionFailed", "cannot resolve " + e.getMessage());
    }
    DeadlineSockets.Attempt attempt = DeadlineSockets.attempt(address, deadline);
    try {
      return sockets.run(attempt, () -> exchange(message));
    } catch (MessagingException e) {
      return attempt.expired()
          ? new Outcome.Retry("Timeout", where + " did not finish before the deadline")
          : SmtpOutcomes.of(e, where);
    }
  }

  private Outcome exchange(MimeMessage message) throws MessagingException {
    Transport transport = session.getTransport();
    try {
      transport.connect(
          smtp.host(), smtp.port(), smtp.username().orElse(null), smtp.password().orElse(null));
      transport.sendMessage(message, message.getAllRecipients());
      return new Outcome.Delivered();
    } finally {
      try {
        transport.close(); // after the server accepted the message, a failed QUIT changes nothing
      } catch (MessagingException ignored) {
        // the connection is closed either way
      }
    }
  }

  /** The name Herald gives in EHLO: this machine's name, looked up once. */
  private static final class LocalName {
    static final String VALUE = lookUp();

    private static String lookUp() {
      try {
        String name = InetAddress.getLocalHost().getHostName();
        return name.isBlank() ? "localhost" : name;
      } catch (UnknownHostException e) {
        return "localhost";
      }
    }
  }

  @Override
  public String toString() {
    return where;
  }
}
