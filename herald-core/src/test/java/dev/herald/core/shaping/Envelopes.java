package dev.herald.core.shaping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.json.Json;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Delivered envelopes and helpers shared by the shaping tests. */
final class Envelopes {
  static final Instant INGESTED = Instant.parse("2026-11-26T10:00:00Z");

  /** The Amazon EC2 event of EventBridge's input transformation examples. */
  static final String EC2 =
      """
      {"version":"0","id":"7bf73129-1428-4cd3-a780-95db273d1602",
       "detail-type":"EC2 Instance State-change Notification","source":"aws.ec2",
       "account":"123456789012","time":"2015-11-11T21:29:54Z","region":"us-east-1",
       "resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],
       "detail":{"instance-id":"i-0123456789","state":"RUNNING"}}
      """;

  /** A Herald order event, as the router delivers it. */
  static final String ORDER =
      """
      {"version":"0","id":"01JDQ3ZK9V4Y1E0S8M2N6P7R5T","detail-type":"OrderPlaced",
       "source":"shop.orders","account":"000000000000","time":"2026-11-26T09:59:58Z",
       "region":"local","resources":["urn:shop:order:o-1042"],
       "detail":{"orderId":"o-1042","total":129.95,"paid":true,"coupon":null,
                 "customer":{"name":"Zoë \\"Z\\" Okafor","email":"zoe@example.com"},
                 "items":[{"sku":"SKU-1","qty":2},{"sku":"SKU-2","qty":1},{"sku":"SKU-3","qty":5}],
                 "tags":["gift","express"]}}
      """;

  private Envelopes() {}

  static ObjectNode envelope(String json) {
    return (ObjectNode) parse(json);
  }

  static JsonNode parse(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(json, e);
    }
  }

  /** Shapes {@code envelope} with a transformer, for rule "example". */
  static InputShape.Output transform(String envelope, Map<String, String> paths, String template) {
    return transformer(paths, template).apply(envelope(envelope), "example", INGESTED);
  }

  static InputShape transformer(Map<String, String> paths, String template) {
    return InputShape.compile(
        Optional.empty(), Optional.empty(), Optional.of(new InputTransformer(paths, template)));
  }
}
