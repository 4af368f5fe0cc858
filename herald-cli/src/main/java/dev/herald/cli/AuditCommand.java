package dev.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.client.AuditPage;
import dev.herald.client.AuditQuery;
import dev.herald.client.HeraldClient;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code herald audit verify|export}: the audit log, through the HTTP API. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Verify the audit log's hash chain, or export its entries as JSON Lines.",
    subcommands = {AuditCommand.VerifyCommand.class, AuditCommand.ExportCommand.class})
final class AuditCommand implements Runnable {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The exit code of {@code verify} when the chain is broken. */
  static final int BROKEN = 3;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Recompute the audit log's hash chain from its first entry.",
        "Exit 0 when it is valid (prints the entries and the head hash), "
            + BROKEN
            + " when it is broken (prints the first broken entry), 1 when Herald cannot answer."
      })
  static final class VerifyCommand extends HeraldCall {
    @Option(
        names = "--timeout",
        defaultValue = "PT10M",
        paramLabel = "DURATION",
        description = "How long to wait for Herald (ISO-8601). Default: ${DEFAULT-VALUE}")
    Duration timeout;

    @Option(names = "--json", description = "Print Herald's answer as JSON")
    boolean json;

    @Override
    int run() throws IOException {
      JsonNode result = client(timeout).verifyAudit();
      boolean valid = result.path("valid").asBoolean();
      if (json) {
        System.out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result));
      } else if (valid) {
        System.out.println(
            "valid: "
                + result.path("entries").asLong()
                + " entries, head "
                + result.path("head").asText());
      } else {
        printBroken(System.out, result);
      }
      return valid ? 0 : BROKEN;
    }

    private static void printBroken(PrintStream out, JsonNode result) throws IOException {
      JsonNode broken = result.path("firstBroken");
      out.println(
          "BROKEN at seq "
              + broken.path("seq").asLong()
              + ": "
              + broken.path("reason").asText()
              + " ("
              + result.path("entries").asLong()
              + " entries verified before it)");
      out.println(broken.path("message").asText());
      if (broken.has("entry")) {
        out.println(
            MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(broken.get("entry")));
      }
    }
  }

  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description = {
        "Write audit entries, by seq, as JSON Lines (one entry per line) to --output or stdout.",
        "--from and --to select by append time (RFC 3339; from inclusive, to exclusive)."
      })
  static final class ExportCommand extends HeraldCall {
    @Option(names = "--from", paramLabel = "TIME", description = "Entries appended at or after")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "Entries appended before")
    String to;

    @Option(names = "--source", description = "Only entries of this source")
    String source;

    @Option(names = "--detail-type", paramLabel = "TYPE", description = "Only this detail type")
    String detailType;

    @Option(
        names = "--output",
        paramLabel = "FILE",
        description = "Write to FILE (replaced only once the export is complete)")
    Path output;

    @Override
    int run() throws IOException {
      HeraldClient client = client();
      AuditQuery query =
          new AuditQuery(
              Optional.ofNullable(from),
              Optional.ofNullable(to),
              Optional.ofNullable(source),
              Optional.ofNullable(detailType));
      if (output == null) {
        Writer out = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
        export(client, query, out);
        out.flush();
        return 0;
      }
      Path absolute = output.toAbsolutePath();
      Path partial = absolute.resolveSibling(absolute.getFileName() + ".part");
      long count;
      try (BufferedWriter out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
        count = export(client, query, out);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(partial);
        throw e;
      }
      Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING);
      System.err.println("herald: exported " + count + " audit entries to " + output);
      return 0;
    }

    /** Follows the pages to the end, a thousand entries a page; returns how many it wrote. */
    private static long export(HeraldClient client, AuditQuery query, Writer out)
        throws IOException {
      long count = 0;
      Optional<String> cursor = Optional.empty();
      do {
        AuditPage page = client.audit(query, 1000, cursor);
        for (JsonNode entry : page.entries()) {
          out.write(MAPPER.writeValueAsString(entry));
          out.write('\n');
          count++;
        }
        cursor = page.next();
      } while (cursor.isPresent());
      return count;
    }
  }
}
