package dev.herald.targets;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.mail.MailAddress;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.server.ProtocolHandler;
import com.icegreen.greenmail.smtp.SmtpHandler;
import com.icegreen.greenmail.smtp.SmtpManager;
import com.icegreen.greenmail.smtp.SmtpServer;
import com.icegreen.greenmail.smtp.SmtpState;
import com.icegreen.greenmail.smtp.commands.SmtpCommandRegistry;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.net.Socket;
import java.util.Map;

/**
 * A real SMTP server (GreenMail) on 127.0.0.1 with a free port. Like a real mail server it refuses
 * some recipients: any at {@code rejected.example} with {@code 550 5.1.1} and any at {@code
 * busy.example} with {@code 451 4.3.0} (GreenMail's own recipient check accepts everyone; this one
 * plugs in through its {@code createServices} and {@code SmtpManager.checkRecipient}).
 */
final class MailServer implements AutoCloseable {
  private final GreenMail greenMail;

  MailServer() {
    greenMail = new RecipientRulesGreenMail(new ServerSetup(0, "127.0.0.1", "smtp"));
    greenMail.start();
  }

  int port() {
    return greenMail.getSmtp().getPort();
  }

  MimeMessage[] received() {
    return greenMail.getReceivedMessages();
  }

  void stop() {
    greenMail.stop();
  }

  @Override
  public void close() {
    if (greenMail.isRunning()) {
      greenMail.stop();
    }
  }

  private static final class RecipientRulesGreenMail extends GreenMail {
    RecipientRulesGreenMail(ServerSetup setup) {
      super(setup);
    }

    @Override
    protected Map<String, AbstractServer> createServices(ServerSetup[] setups, Managers managers) {
      SmtpManager rules = new RecipientRules(managers);
      return Map.of(
          ServerSetup.PROTOCOL_SMTP,
          new SmtpServer(setups[0], managers) {
            @Override
            protected ProtocolHandler createProtocolHandler(Socket socket) {
              return new SmtpHandler(new SmtpCommandRegistry(), rules, socket);
            }
          });
    }
  }

  private static final class RecipientRules extends SmtpManager {
    RecipientRules(Managers managers) {
      super(managers.getImapHostManager(), managers.getUserManager());
    }

    @Override
    public String checkRecipient(SmtpState state, MailAddress address) {
      return switch (address.getHost()) {
        case "rejected.example" -> "550 5.1.1 <" + address + ">: mailbox unavailable";
        case "busy.example" -> "451 4.3.0 <" + address + ">: try again later";
        default -> null;
      };
    }
  }
}
