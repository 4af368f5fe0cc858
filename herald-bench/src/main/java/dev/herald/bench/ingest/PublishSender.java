package dev.herald.bench.ingest;

import dev.herald.bench.load.Outcome;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Sends one request body to {@code POST /v1/events} and turns the answer into an {@link Outcome}.
 * Thread-safe: the JDK {@link HttpClient} keeps one HTTP/1.1 connection per concurrent request and
 * reuses it afterwards, so N concurrent callers make a pool of N connections.
 */
final class PublishSender {

  private final HttpClient client;
  private final URI uri;
  private final Duration timeout;

  PublishSender(HttpClient client, URI uri, Duration timeout) {
    this.client = client;
    this.uri = uri;
    this.timeout = timeout;
  }

  Outcome send(byte[] body) {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    try {
      HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return response.statusCode() == 200
          ? PublishAnswer.parse(response.body())
          : new Outcome.HttpError(response.statusCode());
    } catch (HttpTimeoutException e) {
      return new Outcome.Failure("timeout");
    } catch (ConnectException e) {
      return new Outcome.Failure("connect");
    } catch (IOException e) {
      return new Outcome.Failure(e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome.Failure("interrupted");
    }
  }
}
