package dev.herald.cli;

import dev.herald.client.PublishEntry;
import dev.herald.client.PublishResult;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code herald publish}: publishes one event and prints its id. */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = "Publish one event to a running Herald and print its event id.")
final class PublishCommand extends HeraldCall {

  @Option(names = "--source", required = true, description = "The event's source, e.g. shop.orders")
  String source;

  @Option(
      names = "--detail-type",
      required = true,
      description = "The event's type, e.g. OrderPlaced")
  String detailType;

  @Option(names = "--detail", required = true, description = "The event's detail: a JSON object")
  String detail;

  @Option(names = "--bus", description = "The bus (default: default)")
  String bus;

  @Option(names = "--ordering-key", description = "Events with one key keep their order")
  String orderingKey;

  @Option(names = "--id", description = "Your id for this event, deduplicated for 5 minutes")
  String id;

  @Override
  int run() {
    PublishEntry entry = new PublishEntry(bus, source, detailType, detail, orderingKey, id, null);
    PublishResult.Entry result = client().publish(List.of(entry)).entries().getFirst();
    if (!result.stored()) {
      System.err.println(
          "herald: not published: "
              + result.errorCode()
              + ": "
              + result.errorMessage()
              + (result.field() == null ? "" : " (field " + result.field() + ")"));
      return 1;
    }
    System.out.println(result.eventId());
    return 0;
  }
}
