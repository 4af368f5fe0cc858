package dev.herald.targets.internal.email;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.herald.api.delivery.Delivery;
import dev.herald.api.delivery.Outcome;
import dev.herald.api.delivery.Target;
import dev.herald.targets.TargetContext;
import dev.herald.targets.internal.email.EmailSettings.AddressTemplate;
import dev.herald.targets.internal.template.Templates;
import dev.herald.targets.internal.template.Templates.RenderException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.InstantSource;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code email} target: renders one message per delivery from the target's templates and sends
 * it over SMTP ({@link SmtpSender}). Text and HTML bodies together make a {@code
 * multipart/alternative} message. Every attempt of a delivery carries the same {@code Message-ID}
 * (derived from the delivery key) and the headers {@code Herald-Delivery-Key} and {@code
 * Herald-Event-Id}, so that receivers can drop duplicates. A template that cannot be rendered is a
 * permanent {@code TemplateError}; an address field that renders to something other than one
 * address is a permanent {@code InvalidAddress}.
 *
 * <p>Thread-safety: immutable; each {@link #deliver} builds its own message and connection.
 */
final class EmailTarget implements Target {
  private static final Logger LOG = LoggerFactory.getLogger(EmailTarget.class);

  private final String name;
  private final EmailSettings settings;
  private final SmtpSender smtp;
  private final InstantSource clock;

  EmailTarget(String name, EmailSettings settings, TargetContext context) {
    this.name = name;
    this.settings = settings;
    this.smtp = new SmtpSender(settings.smtp(), context);
    this.clock = context.clock();
  }

  /** An address field rendered to something that is not one address. */
  private static final class InvalidAddress extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidAddress(String message) {
      super(message);
    }
  }

  @Override
  public Outcome deliver(Delivery delivery) {
    Outcome outcome;
    try {
      outcome = smtp.send(compose(delivery), delivery.deadline());
    } catch (RenderException e) {
      outcome = new Outcome.Permanent("TemplateError", e.getMessage());
    } catch (InvalidAddress e) {
      outcome = new Outcome.Permanent("InvalidAddress", e.getMessage());
    } catch (MessagingException e) {
      outcome = new Outcome.Permanent("PermanentFailure", "cannot compose the message: " + e);
    }
    LOG.debug("target {} delivery {}: {}", name, delivery.deliveryKey(), outcome);
    return outcome;
  }

  private MimeMessage compose(Delivery delivery)
      throws RenderException, InvalidAddress, MessagingException {
    Object scope = Templates.scope(delivery);
    InternetAddress from = address(settings.from(), scope);
    MimeMessage message = new KeyedMessage(smtp.session(), messageId(delivery, from));
    message.setFrom(from);
    message.setRecipients(Message.RecipientType.TO, addresses(settings.to(), scope));
    if (!settings.cc().isEmpty()) {
      message.setRecipients(Message.RecipientType.CC, addresses(settings.cc(), scope));
    }
    String subject = settings.subject().render(scope).replaceAll("[\\r\\n]+", " ").strip();
    message.setSubject(subject, UTF_8.name());
    message.setSentDate(Date.from(clock.instant()));
    message.setHeader("Herald-Delivery-Key", delivery.deliveryKey());
    message.setHeader("Herald-Event-Id", delivery.eventId());
    message.setHeader("Auto-Submitted", "auto-generated"); // RFC 3834: no auto-replies
    body(message, scope);
    message.saveChanges();
    return message;
  }

  private void body(MimeMessage message, Object scope) throws RenderException, MessagingException {
    Optional<String> text = render(settings.text(), scope);
    Optional<String> html = render(settings.html(), scope);
    if (text.isPresent() && html.isPresent()) {
      MimeBodyPart plain = new MimeBodyPart();
      plain.setText(text.get(), UTF_8.name());
      MimeBodyPart rich = new MimeBodyPart();
      rich.setText(html.get(), UTF_8.name(), "html");
      message.setContent(new MimeMultipart("alternative", plain, rich));
    } else if (text.isPresent()) {
      message.setText(text.get(), UTF_8.name());
    } else {
      message.setText(html.orElseThrow(), UTF_8.name(), "html");
    }
  }

  private static Optional<String> render(Optional<Templates.Template> template, Object scope)
      throws RenderException {
    return template.isEmpty() ? Optional.empty() : Optional.of(template.get().render(scope));
  }

  private static InternetAddress[] addresses(List<AddressTemplate> templates, Object scope)
      throws RenderException, InvalidAddress {
    InternetAddress[] addresses = new InternetAddress[templates.size()];
    for (int i = 0; i < addresses.length; i++) {
      addresses[i] = address(templates.get(i), scope);
    }
    return addresses;
  }

  private static InternetAddress address(AddressTemplate template, Object scope)
      throws RenderException, InvalidAddress {
    try {
      return template.render(scope);
    } catch (AddressException e) {
      String rendered = e.getRef() == null ? "" : e.getRef();
      throw new InvalidAddress(
          template.template().field()
              + " rendered '"
              + (rendered.length() > 200 ? rendered.substring(0, 200) + "..." : rendered)
              + "', which is not one email address: "
              + e.getMessage());
    }
  }

  /**
   * {@code <herald.KEY@DOMAIN>}: the delivery key with every character but letters, digits, '-' and
   * '_' written as '=' and its UTF-8 bytes in hex, at the sender's domain.
   */
  static String messageId(Delivery delivery, InternetAddress from) {
    StringBuilder id = new StringBuilder("<herald.");
    for (byte b : delivery.deliveryKey().getBytes(UTF_8)) {
      char c = (char) (b & 0xff);
      boolean plain =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_';
      if (plain) {
        id.append(c);
      } else {
        id.append('=').append(String.format("%02X", b & 0xff));
      }
    }
    String address = from.getAddress();
    return id.append('@')
        .append(address.substring(address.lastIndexOf('@') + 1))
        .append('>')
        .toString();
  }

  /** A message whose {@code Message-ID} is fixed, not generated at each save. */
  private static final class KeyedMessage extends MimeMessage {
    private final String messageId;

    KeyedMessage(Session session, String messageId) {
      super(session);
      this.messageId = messageId;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
      setHeader("Message-ID", messageId);
    }
  }

  @Override
  public void close() {
    // nothing held open: every attempt owns (and closes) its connection
  }

  @Override
  public String toString() {
    return "email target " + name + " (" + smtp + ")";
  }
}
