package dev.herald.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.json.Json;
import dev.herald.server.ingest.CloudEventMapping.Mapped;
import dev.herald.server.ingest.CloudEventMapping.Mode;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The CloudEvents → native entry mapping, without a server. */
class CloudEventMappingTest {

  private static JsonNode json(String text) throws Exception {
    return Json.MAPPER.readTree(text.replace('\'', '"'));
  }

  @Test
  void aStructuredEventBecomesTheNativeEntry() throws Exception {
    Mapped mapped =
        CloudEventMapping.structured(
            json(
                "{'specversion':'1.0','id':'c-1','source':'shop','type':'OrderPlaced',"
                    + "'subject':'o-1','time':'2026-11-26T10:00:00Z','data':{'k':1},'ext':'x'}"),
            "orders");
    assertThat(mapped)
        .isEqualTo(
            new Mapped.Entry(
                (com.fasterxml.jackson.databind.node.ObjectNode)
                    json(
                        "{'bus':'orders','source':'shop','detailType':'OrderPlaced','id':'c-1',"
                            + "'time':'2026-11-26T10:00:00Z','orderingKey':'o-1',"
                            + "'detail':{'k':1}}")));
  }

  @Test
  void binaryHeadersArePercentDecodedAsUtf8() {
    Map<String, String> headers = new TreeMap<>();
    headers.put("specversion", "1.0");
    headers.put("id", "c-2");
    headers.put("source", "caf%C3%A9%20bar");
    headers.put("type", "T");
    Mapped mapped = CloudEventMapping.binary(headers, Optional.empty(), "default");
    assertThat(mapped).isInstanceOf(Mapped.Entry.class);
    JsonNode entry = ((Mapped.Entry) mapped).entry();
    assertThat(entry.get("source").asText()).isEqualTo("café bar");
    assertThat(entry.get("detail")).isEqualTo(Json.object());
  }

  @Test
  void malformedPercentEncodingIsRefusedNamingTheHeader() {
    for (String bad : new String[] {"%", "%4", "%G1", "%C3", "%C3%28"}) {
      assertThat(CloudEventMapping.percentDecode(bad)).as(bad).isEmpty();
    }
    Map<String, String> headers = new TreeMap<>();
    headers.put("specversion", "1.0");
    headers.put("id", "%zz");
    Mapped mapped = CloudEventMapping.binary(headers, Optional.empty(), "default");
    assertThat(mapped)
        .isInstanceOfSatisfying(
            Mapped.Refused.class, r -> assertThat(r.failure().field()).isEqualTo("ce-id"));
  }

  @Test
  void nativeFieldsAreRenamedAsTheClientSentThem() {
    assertThat(CloudEventMapping.attribute("detailType", Mode.STRUCTURED)).isEqualTo("type");
    assertThat(CloudEventMapping.attribute("detailType", Mode.BINARY)).isEqualTo("ce-type");
    assertThat(CloudEventMapping.attribute("detail", Mode.BINARY)).isEqualTo("data");
    assertThat(CloudEventMapping.attribute("orderingKey", Mode.BINARY)).isEqualTo("ce-subject");
    assertThat(CloudEventMapping.attribute("bus", Mode.BINARY)).isEqualTo("bus");
    assertThat(CloudEventMapping.attribute("", Mode.BINARY)).isEmpty();
    EntryResult.Failed renamed =
        CloudEventMapping.translate(
            new EntryResult.Failed("InvalidField", "orderingKey must be a string", "orderingKey"),
            Mode.STRUCTURED);
    assertThat(renamed)
        .isEqualTo(new EntryResult.Failed("InvalidField", "subject must be a string", "subject"));
  }

  @Test
  void jsonContentTypesAreRecognisedWithParameters() {
    assertThat(CloudEventMapping.isJson("application/json; charset=utf-8")).isTrue();
    assertThat(CloudEventMapping.isJson("application/vnd.order+json")).isTrue();
    assertThat(CloudEventMapping.isJson("text/plain")).isFalse();
    assertThat(CloudEventMapping.isJson("")).isFalse();
  }
}
