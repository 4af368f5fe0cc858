package dev.herald.server.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.auth.Scope;
import dev.herald.core.config.ConfigException;
import dev.herald.core.json.Json;
import dev.herald.server.auth.KeyRing;
import dev.herald.server.auth.Principal;
import dev.herald.server.http.ApiError;
import dev.herald.server.http.EventsApi;
import dev.herald.server.http.Http;
import dev.herald.server.limits.RateLimits;
import dev.herald.store.ApiKey;
import dev.herald.store.StoreUnavailableException;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AWS JSON protocol on Herald's port: {@code POST /} with {@code X-Amz-Target: AWSEvents.<Op>}
 * ({@link EventBridgeApi}) or {@code AmazonSQS.<Op>} ({@link SqsApi}). Does its own authentication,
 * since the AWS SDKs sign with SigV4 ({@link SigV4Verifier}: access key id = API key id, secret =
 * the key's secret); a bearer key works too, and while auth is off nothing is required. Scopes
 * apply as for the native API. Errors take AWS's shape ({@link AwsError}), with one log line each.
 * Stateless; thread-safe.
 */
public final class AwsApi {
  private static final Logger LOG = LoggerFactory.getLogger(AwsApi.class);
  static final HeaderName X_AMZ_TARGET = HeaderNames.create("X-Amz-Target");
  private static final HeaderName ERROR_TYPE = HeaderNames.create("x-amzn-ErrorType");
  private static final HeaderName QUERY_ERROR = HeaderNames.create("x-amzn-query-error");
  private static final HeaderName REQUEST_ID = HeaderNames.create("x-amzn-RequestId");

  /** The two services, their target prefixes and content types. */
  enum Service {
    EVENTS("AWSEvents.", "application/x-amz-json-1.1"),
    SQS("AmazonSQS.", "application/x-amz-json-1.0");

    final String prefix;
    final String contentType;

    Service(String prefix, String contentType) {
      this.prefix = prefix;
      this.contentType = contentType;
    }
  }

  private final KeyRing keys;
  private final RateLimits limits;
  private final InstantSource clock;
  private final EventBridgeApi events;
  private final SqsApi sqs;

  public AwsApi(
      KeyRing keys, RateLimits limits, InstantSource clock, EventBridgeApi events, SqsApi sqs) {
    this.keys = keys;
    this.limits = limits;
    this.clock = clock;
    this.events = events;
    this.sqs = sqs;
  }

  public void register(HttpRouting.Builder routing) {
    routing.post("/", this::handle);
  }

  private void handle(ServerRequest req, ServerResponse res) {
    String target = req.headers().first(X_AMZ_TARGET).orElse("");
    Service service =
        target.startsWith(Service.EVENTS.prefix)
            ? Service.EVENTS
            : target.startsWith(Service.SQS.prefix) ? Service.SQS : null;
    String contentType = service == null ? Service.EVENTS.contentType : service.contentType;
    Optional<String> keyId = Optional.empty();
    try {
      byte[] bytes = readBody(req);
      if (service == null) {
        throw new AwsError(
            400,
            "UnknownOperationException",
            target.isEmpty()
                ? "POST / needs the header X-Amz-Target: AWSEvents.<Operation> or"
                    + " AmazonSQS.<Operation>"
                : "unknown operation '" + target + "'");
      }
      String operation = target.substring(service.prefix.length());
      Principal principal = authenticate(service, req, bytes);
      keyId = principal.keyId();
      if (!operation.equals("PutEvents")) { // PutEvents is charged per entry
        Optional<RateLimits.Refusal> refusal = limits.admitRequest(principal.keyId());
        if (refusal.isPresent()) {
          res.header(HeaderNames.RETRY_AFTER, Long.toString(refusal.get().retryAfterSeconds()));
          throw new AwsError(
              400,
              service == Service.SQS ? "RequestThrottled" : "ThrottlingException",
              refusal.get().message());
        }
      }
      AwsCall call =
          new AwsCall(
              operation,
              parse(bytes),
              principal,
              req.headers().first(HeaderNames.HOST).orElse("127.0.0.1"),
              scope -> denied(service, scope));
      ObjectNode answer =
          service == Service.EVENTS ? events.handle(call, limits) : sqs.handle(call);
      send(res, 200, answer, contentType);
    } catch (AwsError e) {
      refuse(res, target, keyId, e, contentType);
    } catch (ConfigException e) {
      refuse(res, target, keyId, fromConfig(service, e), contentType);
    } catch (ApiError e) {
      refuse(res, target, keyId, fromApi(service, e), contentType);
    } catch (StoreUnavailableException e) {
      res.header(HeaderNames.RETRY_AFTER, "1");
      refuse(
          res,
          target,
          keyId,
          new AwsError(503, "ServiceUnavailable", "the state store cannot answer now"),
          contentType);
    }
  }

  private static byte[] readBody(ServerRequest req) {
    try {
      return Http.readBody(req, EventsApi.MAX_REQUEST_BYTES);
    } catch (ApiError e) {
      throw new AwsError(
          e.status(),
          e.status() == 413 ? "RequestTooLarge" : "SerializationException",
          e.getMessage());
    }
  }

  private static ObjectNode parse(byte[] bytes) {
    if (bytes.length == 0) {
      return Json.object();
    }
    try {
      JsonNode node = Json.MAPPER.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new AwsError(400, "SerializationException", "the body must be a JSON object");
      }
      return (ObjectNode) node;
    } catch (JsonProcessingException e) {
      var where = e.getLocation();
      throw new AwsError(
          400,
          "SerializationException",
          "malformed JSON"
              + (where == null
                  ? ""
                  : " at line " + where.getLineNr() + ", column " + where.getColumnNr())
              + ": "
              + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Who sends the request: nobody in particular while auth is off; else the key of a valid SigV4
   * signature or of a bearer header.
   */
  private Principal authenticate(Service service, ServerRequest req, byte[] body) {
    if (!keys.authOn()) {
      return Principal.AUTH_OFF;
    }
    Optional<String> authorization = req.headers().first(HeaderNames.AUTHORIZATION);
    if (authorization.isEmpty()) {
      throw service == Service.SQS
          ? new AwsError(403, "MissingAuthenticationToken", "the request must be signed (SigV4)")
          : new AwsError(
              400, "MissingAuthenticationTokenException", "the request must be signed (SigV4)");
    }
    if (!SigV4Verifier.isSigV4(authorization.get())) {
      try {
        return keys.authenticate(authorization);
      } catch (ApiError e) {
        throw unrecognized(service, e.getMessage());
      }
    }
    Map<String, List<String>> headers = new HashMap<>();
    for (Header header : req.headers()) {
      headers
          .computeIfAbsent(header.name().toLowerCase(Locale.ROOT), n -> new ArrayList<>())
          .addAll(header.allValues());
    }
    try {
      String keyId =
          SigV4Verifier.verify(
              req.prologue().method().text(),
              req.path().rawPath(),
              req.query().rawValue(),
              headers,
              body,
              clock.instant(),
              id -> keys.key(id).map(ApiKey::secret));
      return keys.signedBy(keyId).orElseThrow(() -> unrecognized(service, "unknown key"));
    } catch (SigV4Verifier.Refused e) {
      throw switch (e.problem()) {
        case UNKNOWN_KEY -> unrecognized(service, e.getMessage());
        case MALFORMED ->
            new AwsError(
                service == Service.SQS ? 403 : 400,
                service == Service.SQS ? "IncompleteSignature" : "IncompleteSignatureException",
                e.getMessage());
        case EXPIRED, MISMATCH ->
            service == Service.SQS
                ? new AwsError(403, "SignatureDoesNotMatch", e.getMessage())
                : new AwsError(400, "InvalidSignatureException", e.getMessage());
      };
    }
  }

  private static AwsError unrecognized(Service service, String message) {
    return service == Service.SQS
        ? new AwsError(403, "InvalidClientTokenId", message)
        : new AwsError(400, "UnrecognizedClientException", message);
  }

  private static AwsError denied(Service service, Scope scope) {
    String message = "this API key lacks the scope '" + scope + "' needed here";
    return service == Service.SQS
        ? new AwsError(403, "AccessDenied", message)
        : new AwsError(400, "AccessDeniedException", message);
  }

  /** A configuration error of the shared services, in the AWS service's terms. */
  private static AwsError fromConfig(Service service, ConfigException e) {
    boolean sqs = service == Service.SQS;
    return switch (e) {
      case ConfigException.Invalid invalid ->
          invalid.code().equals("InvalidPattern")
              ? new AwsError(400, "InvalidEventPatternException", e.getMessage())
              : new AwsError(
                  400,
                  sqs ? "InvalidParameterValue" : "ValidationException",
                  invalid.field() + ": " + e.getMessage());
      case ConfigException.NotFound notFound ->
          sqs
              ? SqsApi.noSuchQueue(e.getMessage())
              : new AwsError(400, "ResourceNotFoundException", e.getMessage());
      case ConfigException.Conflict conflict ->
          conflict.code().equals("LimitExceeded")
              ? new AwsError(400, sqs ? "OverLimit" : "LimitExceededException", e.getMessage())
              : new AwsError(
                  400, sqs ? "InvalidParameterValue" : "ValidationException", e.getMessage());
      case ConfigException.VersionMismatch mismatch ->
          new AwsError(400, "ConcurrentModificationException", e.getMessage());
    };
  }

  private static AwsError fromApi(Service service, ApiError e) {
    boolean sqs = service == Service.SQS;
    return switch (e.status()) {
      case 401 -> unrecognized(service, e.getMessage());
      case 403 ->
          sqs
              ? new AwsError(403, "AccessDenied", e.getMessage())
              : new AwsError(400, "AccessDeniedException", e.getMessage());
      case 413 -> new AwsError(413, "RequestTooLarge", e.getMessage());
      case 429 ->
          new AwsError(400, sqs ? "RequestThrottled" : "ThrottlingException", e.getMessage());
      case 503 -> new AwsError(503, "ServiceUnavailable", e.getMessage());
      default ->
          new AwsError(
              e.status() >= 500 ? 500 : 400,
              e.status() >= 500
                  ? "InternalFailure"
                  : sqs ? "InvalidParameterValue" : "ValidationException",
              e.getMessage());
    };
  }

  private static void refuse(
      ServerResponse res, String target, Optional<String> keyId, AwsError e, String contentType) {
    LOG.info(
        "AWS call {} refused: {} {} (key {})",
        target.isEmpty() ? "(no X-Amz-Target)" : target,
        e.code(),
        e.getMessage(),
        keyId.orElse(Principal.ANONYMOUS));
    res.header(ERROR_TYPE, e.code());
    e.queryCode().ifPresent(q -> res.header(QUERY_ERROR, q + ";Sender"));
    send(res, e.status(), e.toJson(), contentType);
  }

  private static void send(ServerResponse res, int status, ObjectNode body, String contentType) {
    try {
      byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
      res.status(Status.create(status));
      res.header(HeaderNames.CONTENT_TYPE, contentType);
      res.header(REQUEST_ID, java.util.UUID.randomUUID().toString());
      res.send(bytes);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
