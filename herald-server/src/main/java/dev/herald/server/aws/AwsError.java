package dev.herald.server.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.json.Json;
import java.util.Optional;

/**
 * An error of the AWS JSON protocol: answered as {@code {"__type": code, "message": ...}} with the
 * {@code x-amzn-ErrorType} header, which the AWS SDKs read to pick the exception class. SQS, whose
 * JSON protocol is compatible with its older query protocol, also names the query error code in
 * {@code x-amzn-query-error} ({@code AWS.SimpleQueueService.NonExistentQueue;Sender}); the SDK
 * reports that code to the caller. Thrown by the AWS handlers and rendered by {@link AwsApi}.
 */
final class AwsError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final String queryCode;

  AwsError(int status, String code, String message) {
    this(status, code, message, null);
  }

  /**
   * @param queryCode the SQS query protocol's code, when it differs from {@code code}; else null
   */
  AwsError(int status, String code, String message, String queryCode) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.queryCode = queryCode;
  }

  static AwsError validation(String message) {
    return new AwsError(400, "ValidationException", message);
  }

  /** SQS's error for a bad parameter. */
  static AwsError sqsInvalid(String message) {
    return new AwsError(400, "InvalidParameterValue", message);
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  Optional<String> queryCode() {
    return Optional.ofNullable(queryCode);
  }

  /** The body: {@code __type} and {@code message}. */
  ObjectNode toJson() {
    ObjectNode body = Json.object();
    body.put("__type", code);
    body.put("message", getMessage());
    return body;
  }
}
