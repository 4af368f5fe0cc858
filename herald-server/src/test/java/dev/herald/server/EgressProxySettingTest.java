package dev.herald.server;

import static dev.herald.server.TestHerald.postJson;
import static dev.herald.server.TestHerald.put;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * {@code HERALD_EGRESS_PROXY} as the server reads it: a bad value stops the start naming the
 * setting (never the password), and a good one carries a webhook's requests (the detailed behaviour
 * is herald-targets' {@code EgressProxyTest}).
 */
class EgressProxySettingTest {

  @Test
  void aBadProxySettingStopsTheStartNamingTheSettingButNotThePassword() {
    assertThatThrownBy(
            () ->
                Herald.start(
                    HeraldConfig.embedded(TestHerald.tempDir()).withPort(0),
                    Map.of("HERALD_EGRESS_PROXY", "https://ops:hunter2@proxy.corp:3128")))
        .hasMessageContaining("HERALD_EGRESS_PROXY")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(
            () ->
                Herald.start(
                    HeraldConfig.embedded(TestHerald.tempDir()).withPort(0),
                    Map.of(
                        "HERALD_EGRESS_PROXY",
                        "http://proxy.corp:3128",
                        "HERALD_EGRESS_PROXY_EXCLUDE",
                        "10.0.0.0/33")))
        .hasMessageContaining("HERALD_EGRESS_PROXY_EXCLUDE")
        .hasMessageContaining("10.0.0.0/33");
  }

  @Test
  void aWebhookIsDeliveredThroughTheConfiguredProxy() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    HttpServer receiver =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/hook",
        exchange -> {
          try (exchange) {
            received.add(new String(exchange.getRequestBody().readAllBytes(), ISO_8859_1));
            exchange.sendResponseHeaders(204, -1);
          }
        });
    receiver.start();
    try (ForwardingProxy proxy = new ForwardingProxy();
        Herald herald =
            Herald.start(
                HeraldConfig.embedded(TestHerald.tempDir()).withPort(0),
                Map.of("HERALD_EGRESS_PROXY", "http://127.0.0.1:" + proxy.port()))) {
      String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
      var target =
          put(herald, "/v1/targets/proxied", "{'type':'webhook','webhook':{'url':'" + hook + "'}}");
      assertThat(target.status()).as(String.valueOf(target.body())).isEqualTo(200);
      var rule =
          put(
              herald,
              "/v1/buses/default/rules/proxied",
              "{'pattern':{'source':['proxied']},'targets':[{'target':'proxied'}]}");
      assertThat(rule.status()).as(String.valueOf(rule.body())).isEqualTo(200);
      String eventId =
          postJson(herald, "{'entries':[{'source':'proxied','detailType':'T','detail':{'n':1}}]}")
              .body()
              .at("/entries/0/eventId")
              .asText();

      await().atMost(Duration.ofSeconds(60)).until(() -> !received.isEmpty());
      assertThat(received.getFirst()).contains(eventId);
      assertThat(proxy.targets()).containsExactly(hook);
    } finally {
      receiver.stop(0);
    }
  }

  /** A plain-HTTP forwarding proxy on 127.0.0.1 (absolute-form requests) that records targets. */
  private static final class ForwardingProxy implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<String> targets = new CopyOnWriteArrayList<>();

    ForwardingProxy() throws IOException {
      Thread.ofVirtual()
          .start(
              () -> {
                while (!server.isClosed()) {
                  try {
                    Socket client = server.accept();
                    Thread.ofVirtual().start(() -> forward(client));
                  } catch (IOException e) {
                    return;
                  }
                }
              });
    }

    int port() {
      return server.getLocalPort();
    }

    List<String> targets() {
      return List.copyOf(targets);
    }

    private void forward(Socket client) {
      try (client) {
        InputStream in = new BufferedInputStream(client.getInputStream());
        String[] requestLine = line(in).split(" ");
        URI uri = URI.create(requestLine[1]);
        targets.add(requestLine[1]);
        StringBuilder head =
            new StringBuilder(requestLine[0] + " " + uri.getRawPath() + " HTTP/1.1\r\n");
        int length = 0;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
          String name = h.substring(0, h.indexOf(':')).toLowerCase(Locale.ROOT);
          if (name.equals("content-length")) {
            length = Integer.parseInt(h.substring(h.indexOf(':') + 1).strip());
          }
          if (!name.startsWith("proxy-") && !name.equals("connection")) {
            head.append(h).append("\r\n");
          }
        }
        head.append("Connection: close\r\n\r\n");
        byte[] body = in.readNBytes(length);
        try (Socket upstream = new Socket(uri.getHost(), uri.getPort())) {
          OutputStream up = upstream.getOutputStream();
          up.write(head.toString().getBytes(ISO_8859_1));
          up.write(body);
          up.flush();
          upstream.getInputStream().transferTo(client.getOutputStream());
        }
      } catch (IOException | RuntimeException e) {
        // the client or the upstream went away
      }
    }

    private static String line(InputStream in) throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (int b = in.read(); b != '\n' && b != -1; b = in.read()) {
        line.write(b);
      }
      String s = line.toString(ISO_8859_1);
      return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
