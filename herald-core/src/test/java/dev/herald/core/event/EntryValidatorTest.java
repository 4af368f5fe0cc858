package dev.herald.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.json.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EntryValidatorTest {
  private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

  private static JsonNode json(String text) throws Exception {
    return Json.MAPPER.readTree(text.replace('\'', '"'));
  }

  @Test
  void acceptsAFullEntryAndKeepsEveryField() throws Exception {
    EntryCheck check =
        EntryValidator.check(
            json(
                "{'bus':'orders','source':'shop.orders','detailType':'OrderPlaced',"
                    + "'detail':{'orderId':'o-1','total':42.5},'time':'2026-11-26T09:00:00+01:00',"
                    + "'resources':['arn:1'],'orderingKey':'o-1','id':'client-1'}"),
            NOW);
    assertThat(check).isInstanceOf(EntryCheck.Valid.class);
    NewEvent event = ((EntryCheck.Valid) check).event();
    assertThat(event.bus()).isEqualTo("orders");
    assertThat(event.source()).isEqualTo("shop.orders");
    assertThat(event.detailType()).isEqualTo("OrderPlaced");
    assertThat(event.detail().get("total").decimalValue()).isEqualByComparingTo("42.5");
    assertThat(event.time()).isEqualTo(Instant.parse("2026-11-26T08:00:00Z"));
    assertThat(event.resources()).containsExactly("arn:1");
    assertThat(event.orderingKey()).contains("o-1");
    assertThat(event.clientId()).contains("client-1");
  }

  @Test
  void defaultsBusToDefaultAndTimeToNow() throws Exception {
    EntryCheck check =
        EntryValidator.check(json("{'source':'s','detailType':'T','detail':{}}"), NOW);
    NewEvent event = ((EntryCheck.Valid) check).event();
    assertThat(event.bus()).isEqualTo("default");
    assertThat(event.time()).isEqualTo(NOW);
    assertThat(event.resources()).isEmpty();
    assertThat(event.orderingKey()).isEmpty();
    assertThat(event.clientId()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "missing source       | {'detailType':'T','detail':{}}                            | MissingField | source",
        "null source          | {'source':null,'detailType':'T','detail':{}}              | MissingField | source",
        "missing detailType   | {'source':'s','detail':{}}                                | MissingField | detailType",
        "missing detail       | {'source':'s','detailType':'T'}                           | MissingField | detail",
        "detail not object    | {'source':'s','detailType':'T','detail':[1]}              | InvalidField | detail",
        "detail a string      | {'source':'s','detailType':'T','detail':'{}'}             | InvalidField | detail",
        "source not string    | {'source':5,'detailType':'T','detail':{}}                 | InvalidField | source",
        "blank source         | {'source':'  ','detailType':'T','detail':{}}              | InvalidField | source",
        "bad time             | {'source':'s','detailType':'T','detail':{},'time':'yesterday'} | InvalidField | time",
        "time a number        | {'source':'s','detailType':'T','detail':{},'time':5}      | InvalidField | time",
        "bad bus name         | {'bus':'no spaces','source':'s','detailType':'T','detail':{}} | InvalidField | bus",
        "resources not array  | {'source':'s','detailType':'T','detail':{},'resources':'r'} | InvalidField | resources",
        "resource not string  | {'source':'s','detailType':'T','detail':{},'resources':['a',1]} | InvalidField | resources[1]",
        "empty orderingKey    | {'source':'s','detailType':'T','detail':{},'orderingKey':''} | InvalidField | orderingKey",
        "id not string        | {'source':'s','detailType':'T','detail':{},'id':7}        | InvalidField | id",
        "unknown field        | {'source':'s','detailType':'T','detail':{},'detail_type':'x'} | InvalidField | detail_type",
      })
  void rejectsBadEntriesNamingTheField(String name, String entry, String code, String field)
      throws Exception {
    EntryCheck check = EntryValidator.check(json(entry), NOW);
    assertThat(check).isInstanceOf(EntryCheck.Invalid.class);
    EntryCheck.Invalid invalid = (EntryCheck.Invalid) check;
    assertThat(invalid.code()).isEqualTo(code);
    assertThat(invalid.field()).isEqualTo(field);
    assertThat(invalid.message()).contains(field.replaceAll("\\[.*", ""));
  }

  @Test
  void rejectsAnEntryThatIsNotAnObject() throws Exception {
    assertThat(EntryValidator.check(json("[1]"), NOW))
        .isEqualTo(new EntryCheck.Invalid("InvalidField", "an entry must be a JSON object", ""));
  }

  @Test
  void rejectsTooLongTexts() throws Exception {
    String longText = "x".repeat(EntryValidator.MAX_TEXT + 1);
    EntryCheck check =
        EntryValidator.check(
            json("{'source':'" + longText + "','detailType':'T','detail':{}}"), NOW);
    assertThat(((EntryCheck.Invalid) check).message()).contains("at most 256");
  }

  @ParameterizedTest
  @CsvSource({
    "+999999999-01-01T00:00:00Z",
    "-999999999-01-01T00:00:00Z",
    "+10000-01-01T00:00:00Z",
    "-0001-12-31T23:59:59Z",
    "0000-12-31T23:59:59Z"
  })
  void aTimeOutsideYears1To9999IsAnEntryErrorNamingTime(String time) throws Exception {
    EntryCheck check =
        EntryValidator.check(
            json("{'source':'s','detailType':'T','detail':{},'time':'" + time + "'}"), NOW);
    assertThat(check).isInstanceOf(EntryCheck.Invalid.class);
    EntryCheck.Invalid invalid = (EntryCheck.Invalid) check;
    assertThat(invalid.field()).isEqualTo("time");
    assertThat(invalid.code()).isEqualTo(EntryErrors.INVALID_FIELD);
  }

  @Test
  void theFirstAndLastInstantsOfYears1To9999AreAccepted() throws Exception {
    for (String time : new String[] {"0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z"}) {
      EntryCheck check =
          EntryValidator.check(
              json("{'source':'s','detailType':'T','detail':{},'time':'" + time + "'}"), NOW);
      assertThat(check).as(time).isInstanceOf(EntryCheck.Valid.class);
    }
  }
}
