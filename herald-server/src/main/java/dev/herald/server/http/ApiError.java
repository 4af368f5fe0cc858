package dev.herald.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.json.Json;

/**
 * A request-level error of the API: {@code {"error": {"code", "message", "field"}}} with its HTTP
 * status. Thrown by handlers and rendered by one error handler.
 */
public final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final String field;
  private final boolean closesConnection;

  public ApiError(int status, String code, String message, String field) {
    this(status, code, message, field, false);
  }

  private ApiError(
      int status, String code, String message, String field, boolean closesConnection) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.field = field;
    this.closesConnection = closesConnection;
  }

  /**
   * This error, answered with {@code Connection: close}: what follows on the connection cannot be
   * trusted (broken framing, an unsupported protocol version).
   */
  public ApiError closingConnection() {
    return new ApiError(status, code, getMessage(), field, true);
  }

  public boolean closesConnection() {
    return closesConnection;
  }

  public ApiError(int status, String code, String message) {
    this(status, code, message, null);
  }

  public static ApiError invalidJson(String message) {
    return new ApiError(400, "InvalidJson", message);
  }

  public static ApiError invalidRequest(String message, String field) {
    return new ApiError(400, "InvalidRequest", message, field);
  }

  public static ApiError notFound(String code, String message) {
    return new ApiError(404, code, message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public ObjectNode toJson() {
    ObjectNode root = Json.object();
    ObjectNode error = root.putObject("error");
    error.put("code", code);
    error.put("message", getMessage());
    if (field != null) {
      error.put("field", field);
    }
    return root;
  }
}
