package dev.herald.server.aws;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies requests signed with AWS Signature Version 4 ({@code Authorization: AWS4-HMAC-SHA256
 * Credential=<key id>/<date>/<region>/<service>/aws4_request, SignedHeaders=..., Signature=...}):
 * rebuilds the canonical request from what arrived — the payload hash is always computed from the
 * body received, so a changed body fails — derives the signing key from the key's secret and
 * compares the signatures in constant time. The request time ({@code X-Amz-Date}) must be within
 * {@link #MAX_SKEW} of now. Stateless; thread-safe.
 */
final class SigV4Verifier {
  static final String ALGORITHM = "AWS4-HMAC-SHA256";
  static final Duration MAX_SKEW = Duration.ofMinutes(5);
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** Why a signature was refused; {@link AwsApi} maps each to the service's AWS error. */
  enum Problem {
    MALFORMED,
    UNKNOWN_KEY,
    EXPIRED,
    MISMATCH
  }

  /** A refused signature. */
  static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final Problem problem;

    Refused(Problem problem, String message) {
      super(message, null, false, false);
      this.problem = problem;
    }

    Problem problem() {
      return problem;
    }
  }

  /** The parts of a SigV4 {@code Authorization} header. */
  record Credential(
      String keyId,
      String date,
      String region,
      String service,
      List<String> signedHeaders,
      String signature) {}

  private SigV4Verifier() {}

  /** Whether the header is a SigV4 signature (rather than a bearer key). */
  static boolean isSigV4(String authorization) {
    return authorization.startsWith(ALGORITHM + " ");
  }

  /**
   * Verifies a signed request.
   *
   * @param headers the request's headers, names in lower case, each with its values in order
   * @param secretOf the secret of a key id, empty when no such key exists
   * @return the key id that signed the request
   * @throws Refused why not
   */
  static String verify(
      String method,
      String path,
      String rawQuery,
      Map<String, List<String>> headers,
      byte[] body,
      Instant now,
      Function<String, Optional<String>> secretOf) {
    String authorization = first(headers, "authorization").orElse("");
    Credential credential = parse(authorization);
    String amzDate =
        first(headers, "x-amz-date")
            .orElseThrow(
                () -> new Refused(Problem.MALFORMED, "the signed request has no X-Amz-Date"));
    Instant signedAt;
    try {
      signedAt = Instant.from(AMZ_DATE.parse(amzDate));
    } catch (DateTimeParseException e) {
      throw new Refused(
          Problem.MALFORMED, "X-Amz-Date must be yyyyMMdd'T'HHmmss'Z', got '" + amzDate + "'");
    }
    if (!amzDate.startsWith(credential.date())) {
      throw new Refused(
          Problem.MALFORMED,
          "the credential's date " + credential.date() + " is not the day of " + amzDate);
    }
    if (Duration.between(signedAt, now).abs().compareTo(MAX_SKEW) > 0) {
      throw new Refused(
          Problem.EXPIRED,
          "Signature expired: "
              + amzDate
              + " is now earlier than "
              + AMZ_DATE.format(now.minus(MAX_SKEW))
              + " ("
              + AMZ_DATE.format(now)
              + " - 5 min.)");
    }
    String payloadHash = hex(sha256(body));
    Optional<String> declared = first(headers, "x-amz-content-sha256");
    if (declared.isPresent() && !declared.get().equalsIgnoreCase(payloadHash)) {
      throw new Refused(
          Problem.MISMATCH,
          "the body does not match its signed hash (x-amz-content-sha256): it was changed on the"
              + " way, or the payload is unsigned, which Herald does not accept");
    }
    String secret =
        secretOf
            .apply(credential.keyId())
            .orElseThrow(
                () ->
                    new Refused(
                        Problem.UNKNOWN_KEY,
                        "The security token included in the request is invalid: no API key '"
                            + credential.keyId()
                            + "'"));
    String canonical =
        canonicalRequest(method, path, rawQuery, headers, credential.signedHeaders(), payloadHash);
    String scope =
        credential.date()
            + "/"
            + credential.region()
            + "/"
            + credential.service()
            + "/aws4_request";
    String toSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + hex(sha256(canonical));
    byte[] key = hmac(("AWS4" + secret).getBytes(UTF_8), credential.date());
    key = hmac(key, credential.region());
    key = hmac(key, credential.service());
    key = hmac(key, "aws4_request");
    byte[] expected = hmac(key, toSign);
    byte[] given;
    try {
      given = HexFormat.of().parseHex(credential.signature());
    } catch (IllegalArgumentException e) {
      throw new Refused(Problem.MALFORMED, "the Signature is not hexadecimal");
    }
    if (!MessageDigest.isEqual(expected, given)) {
      throw new Refused(
          Problem.MISMATCH,
          "The request signature we calculated does not match the signature you provided. Check"
              + " your AWS Secret Access Key and signing method.");
    }
    return credential.keyId();
  }

  /** Parses {@code AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...}. */
  static Credential parse(String authorization) {
    if (!isSigV4(authorization)) {
      throw new Refused(Problem.MALFORMED, "the Authorization header is not " + ALGORITHM);
    }
    String credential = null;
    String signedHeaders = null;
    String signature = null;
    for (String part : authorization.substring(ALGORITHM.length() + 1).split(",")) {
      String item = part.trim();
      int eq = item.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String value = item.substring(eq + 1).trim();
      switch (item.substring(0, eq).trim()) {
        case "Credential" -> credential = value;
        case "SignedHeaders" -> signedHeaders = value;
        case "Signature" -> signature = value;
        default -> {}
      }
    }
    if (credential == null || signedHeaders == null || signature == null) {
      throw new Refused(
          Problem.MALFORMED,
          "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature'");
    }
    String[] scope = credential.split("/", -1);
    if (scope.length != 5 || !scope[4].equals("aws4_request") || scope[0].isEmpty()) {
      throw new Refused(
          Problem.MALFORMED,
          "Credential must be <key id>/<yyyyMMdd>/<region>/<service>/aws4_request");
    }
    List<String> headers = List.of(signedHeaders.toLowerCase(Locale.ROOT).split(";"));
    if (!headers.contains("host")) {
      throw new Refused(Problem.MALFORMED, "SignedHeaders must include host");
    }
    return new Credential(scope[0], scope[1], scope[2], scope[3], headers, signature);
  }

  static String canonicalRequest(
      String method,
      String path,
      String rawQuery,
      Map<String, List<String>> headers,
      List<String> signedHeaders,
      String payloadHash) {
    StringBuilder out = new StringBuilder();
    out.append(method).append('\n');
    out.append(path.isEmpty() ? "/" : path).append('\n');
    out.append(canonicalQuery(rawQuery)).append('\n');
    for (String name : signedHeaders) {
      List<String> values = headers.getOrDefault(name, List.of());
      List<String> trimmed = new ArrayList<>(values.size());
      for (String v : values) {
        trimmed.add(v.trim().replaceAll(" +", " "));
      }
      out.append(name).append(':').append(String.join(",", trimmed)).append('\n');
    }
    out.append('\n');
    out.append(String.join(";", signedHeaders)).append('\n');
    out.append(payloadHash);
    return out.toString();
  }

  /** The query's parameters sorted by name, then value, as sent (already encoded). */
  private static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<String> pairs = new ArrayList<>();
    for (String pair : rawQuery.split("&")) {
      pairs.add(pair.contains("=") ? pair : pair + "=");
    }
    pairs.sort(null);
    return String.join("&", pairs);
  }

  private static Optional<String> first(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
  }

  static byte[] sha256(String text) {
    return sha256(text.getBytes(UTF_8));
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
