package dev.herald.bench.match;

import dev.herald.core.pattern.PatternCompiler;
import dev.herald.core.pattern.RuleMatcher;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.event.ruler.Machine;

/**
 * Matching throughput of Herald's {@link RuleMatcher} against a plain event-ruler {@link Machine}
 * holding the same rules, one thread; each operation matches one delivered envelope, so ops/s is
 * events per second per core.
 *
 * <ul>
 *   <li>{@code mixed1k*}: 1,000 mixed rules on one bus whose events come from 20 sources (goal:
 *       150,000 events/s per core), in the proportions of {@link RuleSets#mixed}: most rules test
 *       detail fields with every kind of operator.
 *   <li>{@code routing1k*}: 1,000 routing-style rules (mostly exact source and detail-type) on one
 *       bus, 20 sources.
 *   <li>{@code spread10k*}: 10,000 rules spread over 100 sources, each naming its source(s) (plain
 *       machine measured about 43,000 events/s per core before Herald's index).
 * </ul>
 *
 * Run (after {@code ./mvnw -q -pl herald-core install} and {@code ./mvnw -q -pl herald-bench
 * package -DskipTests}):
 *
 * <pre>
 * java -cp herald-bench/target/herald-bench.jar org.openjdk.jmh.Main MatchBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class MatchBenchmark {
  private static final int EVENTS = 4096;

  /** Rules and events of one scenario, with both matchers built from the same rules. */
  public abstract static class Scenario {
    RuleMatcher matcher;
    Machine plain;
    String[] events;
    int next;

    void build(List<RuleSets.Rule> rules, int sources) throws Exception {
      RuleMatcher.Builder builder = RuleMatcher.builder();
      plain = Machine.builder().withAdditionalNameStateReuse(true).build();
      for (RuleSets.Rule rule : rules) {
        builder.add(rule.id(), PatternCompiler.compile(rule.pattern()));
        plain.addRule(rule.id(), rule.pattern());
      }
      matcher = builder.build();
      events = RuleSets.events(EVENTS, sources, 7L).toArray(String[]::new);
    }

    String nextEvent() {
      next = (next + 1) & (EVENTS - 1);
      return events[next];
    }
  }

  /** 1,000 mixed rules on one bus, events from 20 sources. */
  @State(Scope.Thread)
  public static class Mixed1k extends Scenario {
    @Setup
    public void setUp() throws Exception {
      build(RuleSets.mixed(1_000, 20, 42L), 20);
    }
  }

  /** 1,000 routing-style rules (exact source and detail-type, mostly) on one bus, 20 sources. */
  @State(Scope.Thread)
  public static class Routing1k extends Scenario {
    @Setup
    public void setUp() throws Exception {
      build(RuleSets.routing(1_000, 20, 44L), 20);
    }
  }

  /** 10,000 rules spread over 100 sources. */
  @State(Scope.Thread)
  public static class Spread10k extends Scenario {
    @Setup
    public void setUp() throws Exception {
      build(RuleSets.perSource(10_000, 100, 43L), 100);
    }
  }

  @Benchmark
  public List<String> mixed1kRuleMatcher(Mixed1k s) {
    return s.matcher.matches(s.nextEvent());
  }

  @Benchmark
  public List<String> mixed1kPlainMachine(Mixed1k s) throws Exception {
    return s.plain.rulesForJSONEvent(s.nextEvent());
  }

  @Benchmark
  public List<String> routing1kRuleMatcher(Routing1k s) {
    return s.matcher.matches(s.nextEvent());
  }

  @Benchmark
  public List<String> routing1kPlainMachine(Routing1k s) throws Exception {
    return s.plain.rulesForJSONEvent(s.nextEvent());
  }

  @Benchmark
  public List<String> spread10kRuleMatcher(Spread10k s) {
    return s.matcher.matches(s.nextEvent());
  }

  @Benchmark
  public List<String> spread10kPlainMachine(Spread10k s) throws Exception {
    return s.plain.rulesForJSONEvent(s.nextEvent());
  }
}
