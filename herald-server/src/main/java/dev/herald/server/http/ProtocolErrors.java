package dev.herald.server.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import java.nio.charset.StandardCharsets;

/**
 * Answers the errors Helidon finds before a request reaches Herald's routes (a malformed request
 * line or headers, an unsupported HTTP version, headers too large) in the API's error shape, so
 * every answer a client gets has one format. Stateless.
 */
final class ProtocolErrors implements DirectHandler {
  private ProtocolErrors() {}

  static DirectHandlers handlers() {
    DirectHandlers.Builder builder = DirectHandlers.builder();
    for (EventType type : EventType.values()) {
      builder.addHandler(type, new ProtocolErrors());
    }
    return builder.build();
  }

  @Override
  public TransportResponse handle(
      TransportRequest request,
      EventType eventType,
      Status defaultStatus,
      ServerResponseHeaders responseHeaders,
      String message) {
    if (eventType == EventType.INTERNAL_ERROR && request.method().isEmpty()) {
      // Helidon could not read the request line (a method with a character no token may hold)
      // and calls it an internal error: the client's, a 400 that closes the connection
      return handle(
          request,
          EventType.BAD_REQUEST,
          Status.BAD_REQUEST_400,
          responseHeaders,
          "the request line could not be read");
    }
    String code =
        switch (eventType) {
          case BAD_REQUEST -> "BadRequest";
          case PAYLOAD_TOO_LARGE -> "RequestTooLarge";
          case FORBIDDEN -> "Forbidden";
          case HTTP_VERSION_NOT_SUPPORTED -> "HttpVersionNotSupported";
          case INTERNAL_ERROR, OTHER -> "InternalError";
        };
    String text =
        eventType == EventType.HTTP_VERSION_NOT_SUPPORTED
            ? request.protocolVersion() + " is not supported; use HTTP/1.1"
            : message == null || message.isBlank() ? defaultStatus.reasonPhrase() : message;
    byte[] body =
        new ApiError(defaultStatus.code(), code, text)
            .toJson()
            .toString()
            .getBytes(StandardCharsets.UTF_8);
    responseHeaders.set(HeaderNames.CONTENT_TYPE, "application/json");
    return TransportResponse.builder()
        .status(defaultStatus)
        .headers(responseHeaders)
        .keepAlive(eventType.keepAlive())
        .entity(body)
        .build();
  }
}
