#!/usr/bin/env bash
# Herald vs the hand-built RabbitMQ baseline (issue 10, goals 2 and 3), side by side in one run, on
# this machine, with the same local HTTP receiver and the same 300-byte JSON events
# (dev.herald.bench.route.VsRabbitBench):
#   throughput  fan-out to 3 HTTP consumers: deliveries/s after a warm-up, and CPU per delivery:
#               Herald's process CPU (/proc) ÷ deliveries, for Herald as is and with --fsync;
#               RabbitMQ's broker (beam.smp) + the consumers' JVM ÷ deliveries
#   latency     ingestion -> receiver p50/p99 at each rate of RATES events/s × 3 consumers
#   neighbours  the same at NEIGHBOUR_RATE with a consumer answering FAIL_STATUS and one answering
#               after SLOW_MS on the same rule (exchange): the healthy consumers' p99 vs without
# The RabbitMQ baseline: a topic exchange; a quorum queue per consumer; per queue a dead-letter
# exchange to a retry queue (TTL 1 s) that dead-letters back; after 5 attempts (x-death) the
# consumer's DLQ; persistent messages; publisher confirms, window 100; per consumer 8 channels ×
# prefetch 250, manual ack after a blocking HTTP POST (dev.herald.bench.rabbit).
# Each round runs herald, herald --fsync (throughput only) and rabbit, alternating the order;
# REPEAT rounds, medians and ratios last.
#
#   herald-bench/run-vs-rabbit.sh
#   EVENTS=3000 WARMUP_EVENTS=1000 LAT_SECONDS=3 LAT_WARMUP=1 REPEAT=1 herald-bench/run-vs-rabbit.sh  # smoke
#
# Knobs: HERALD_JAR=herald-cli/target/herald.jar  HERALD_JAVA_OPTS="-Xmx320m -XX:+UseParallelGC" (as ./herald)
#        REPEAT=3  EVENTS=60000  WARMUP_EVENTS=max(10000, EVENTS/4)  (both multiples of 100)  RATES="1000 3000"
#        LAT_SECONDS=20 (measured per rate)  LAT_WARMUP=5 (s before each latency measurement)
#        NEIGHBOUR_RATE=1000  FAIL_STATUS=500  SLOW_MS=2000  FSYNC=1 (0: skip the --fsync run)
#        AMQP=amqp://guest:guest@127.0.0.1:5672  CONSUMER_JAVA_OPTS=-Xmx512m  RUN_TIMEOUT=1800 (s per run)
# Needs: both jars built (./mvnw -q package -DskipTests), RabbitMQ running on 127.0.0.1:5672
# (rabbitmq-server -detached), rabbitmqctl to find the broker's pid (or RABBIT_PID=...).
# Everything binds 127.0.0.1; the script stops every process it started and deletes the queues and
# exchanges it declared (prefix herald-bench-vs.<pid>).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/.mvn/find-jdk.sh"
herald_find_jdk || exit 1
HERALD_JAR=${HERALD_JAR:-$root/herald-cli/target/herald.jar}
HERALD_JAVA_OPTS=${HERALD_JAVA_OPTS:--Xmx320m -XX:+UseParallelGC}
REPEAT=${REPEAT:-3}
EVENTS=${EVENTS:-60000}
WARMUP_EVENTS=${WARMUP_EVENTS:-$(( EVENTS / 400 * 100 > 10000 ? EVENTS / 400 * 100 : 10000 ))}
RATES=${RATES:-1000 3000}
LAT_SECONDS=${LAT_SECONDS:-20}
LAT_WARMUP=${LAT_WARMUP:-5}
NEIGHBOUR_RATE=${NEIGHBOUR_RATE:-1000}
FAIL_STATUS=${FAIL_STATUS:-500}
SLOW_MS=${SLOW_MS:-2000}
FSYNC=${FSYNC:-1}
AMQP=${AMQP:-amqp://guest:guest@127.0.0.1:5672}
CONSUMER_JAVA_OPTS=${CONSUMER_JAVA_OPTS:--Xmx512m}
RUN_TIMEOUT=${RUN_TIMEOUT:-1800}
BENCH_JAR=$root/herald-bench/target/herald-bench.jar
[ -f "$HERALD_JAR" ] || { echo "HERALD_JAR=$HERALD_JAR is missing (./mvnw -q package -DskipTests)" >&2; exit 1; }
[ -f "$BENCH_JAR" ] || { echo "$BENCH_JAR is missing (./mvnw -q package -DskipTests)" >&2; exit 1; }
case " $RATES " in *" $NEIGHBOUR_RATE "*) ;; *) RATES="$RATES $NEIGHBOUR_RATE" ;; esac
rates_csv=$(echo $RATES | tr ' ' ',')

if ! (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; then
  echo "no RabbitMQ on 127.0.0.1:5672: start it with rabbitmq-server -detached" >&2
  exit 1
fi
RABBIT_PID=${RABBIT_PID:-$(rabbitmqctl -q eval 'os:getpid().' 2>/dev/null | tr -dc 0-9)}
[ -n "$RABBIT_PID" ] && [ -r "/proc/$RABBIT_PID/stat" ] \
  || { echo "cannot find the broker's pid (rabbitmqctl eval 'os:getpid().'); set RABBIT_PID" >&2; exit 1; }

unsafe_flag=""
[ "$herald_major" -ge 24 ] 2>/dev/null && unsafe_flag="--sun-misc-unsafe-memory-access=allow"
BENCH=("$JAVA_HOME/bin/java" -Xmx512m "-Dclk.tck=$(getconf CLK_TCK)" -cp "$BENCH_JAR" dev.herald.bench.route.VsRabbitBench)
prefix="herald-bench-vs.$$"
tmp=$(mktemp -d)
results="$tmp/results"
pid=""
stop_herald() {
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=""
}
bench_pid=""
cleanup() {
  if [ -n "$bench_pid" ]; then # timeout passes the signal on to the bench JVM; its consumer JVM stops when it does
    kill "$bench_pid" 2>/dev/null || true
    wait "$bench_pid" 2>/dev/null || true
  fi
  stop_herald
  timeout 60 "${BENCH[@]}" --system=rabbit --cleanup "--amqp=$AMQP" "--prefix=$prefix" >/dev/null 2>&1 \
    || echo "could not delete the RabbitMQ queues and exchanges under $prefix" >&2
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_herald() { # name [serve args...]; sets URL and pid
  local name=$1; shift
  local data="$tmp/$name/data"
  rm -rf "$tmp/$name"; mkdir -p "$tmp/$name"
  HERALD_DATA_DIR="$data" HERALD_PORT=0 "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
    $HERALD_JAVA_OPTS $unsafe_flag -jar "$HERALD_JAR" serve "$@" > "$tmp/$name/log" 2>&1 &
  pid=$!
  for _ in $(seq 1 1200); do [ -f "$data/runtime.properties" ] && break; sleep 0.1; done
  URL=$(sed -n 's/^http.url=//p' "$data/runtime.properties" 2>/dev/null)
  for _ in $(seq 1 1200); do
    [ -n "$URL" ] && curl -sf "$URL/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.1
    [ -n "$URL" ] || URL=$(sed -n 's/^http.url=//p' "$data/runtime.properties" 2>/dev/null)
  done
  echo "Herald ($name) did not become ready in 4 minutes:" >&2; tail -20 "$tmp/$name/log" >&2
  return 1
}

common=("--events=$EVENTS" "--warmup-events=$WARMUP_EVENTS" "--seconds=$LAT_SECONDS"
  "--latency-warmup=$LAT_WARMUP" "--rates=$rates_csv" "--neighbour-rate=$NEIGHBOUR_RATE"
  "--fail-status=$FAIL_STATUS" "--slow-ms=$SLOW_MS")

bench() { # runs VsRabbitBench in the background (so that a signal reaches the traps at once), shows its output, keeps its RESULT lines
  : > "$tmp/out"
  timeout --kill-after=30 "$RUN_TIMEOUT" "${BENCH[@]}" "$@" "${common[@]}" > "$tmp/out" 2>&1 &
  bench_pid=$!
  tail -n +1 -f --pid="$bench_pid" "$tmp/out" &
  local tail_pid=$! rc=0
  wait "$bench_pid" || rc=$?
  wait "$tail_pid" 2>/dev/null || true
  bench_pid=""
  grep '^RESULT ' "$tmp/out" | cut -d' ' -f2- >> "$results" || true
  [ "$rc" = 0 ] || { echo "VsRabbitBench $1 failed (exit $rc)" >&2; exit "$rc"; }
}

run() { # label round
  echo "== $1 (round $2 of $REPEAT)"
  case $1 in
    herald)
      start_herald herald
      bench --system=herald --label=herald "--herald-url=$URL" "--cpu-pids=$pid"
      echo "herald peak_rss_mib $(awk '/VmHWM/ {printf "%.0f", $2/1024}' /proc/$pid/status)" >> "$results"
      stop_herald ;;
    herald-fsync)
      start_herald herald-fsync --fsync
      bench --system=herald --label=herald-fsync "--herald-url=$URL" "--cpu-pids=$pid" --phases=throughput
      stop_herald ;;
    rabbit)
      bench --system=rabbit --label=rabbit "--amqp=$AMQP" "--prefix=$prefix" "--cpu-pids=$RABBIT_PID" \
        "--consumer-java-opts=$CONSUMER_JAVA_OPTS" ;;
  esac
}

labels="herald rabbit"
[ "$FSYNC" = 1 ] && labels="herald herald-fsync rabbit"
for round in $(seq 1 "$REPEAT"); do
  order=$labels
  [ $((round % 2)) -eq 0 ] && order=$(echo $labels | tr ' ' '\n' | tac | tr '\n' ' ')
  for label in $order; do run "$label" "$round"; done
done

echo
echo "== Herald vs RabbitMQ: medians of $REPEAT rounds ($(nproc) cores, load average now $(cut -d' ' -f1-3 /proc/loadavg))"
echo "   HERALD_JAR=$HERALD_JAR; RabbitMQ $(rabbitmqctl -q version 2>/dev/null || echo '?') (pid $RABBIT_PID)"
awk -v rates="$RATES" -v nrate="$NEIGHBOUR_RATE" '
  { v[$1 " " $2] = v[$1 " " $2] " " $3 }
  function median(list,   a, n, i, j, t) {
    n = split(list, a, " ")
    if (n == 0) return ""
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  function m(label, key,   x) { x = median(v[label " " key]); return x == "" ? "" : sprintf("%.0f", x) }
  function ratio(a, b) { return (a != "" && b != "" && b > 0) ? sprintf("%.2f", a / b) : "-" }
  function row(what, h, f, r, extra) {
    printf "%-58s %10s %14s %10s %s\n", what, (h == "" ? "-" : h), (f == "" ? "-" : f), (r == "" ? "-" : r), extra
  }
  END {
    printf "%-58s %10s %14s %10s %s\n", "measure", "herald", "herald --fsync", "rabbitmq", "ratios"
    h = m("herald", "deliveries_per_s"); f = m("herald-fsync", "deliveries_per_s"); r = m("rabbit", "deliveries_per_s")
    row("fan-out to 3 consumers, deliveries/s", h, f, r, "herald/rabbitmq " ratio(h, r) ", herald --fsync/rabbitmq " ratio(f, r))
    h = m("herald", "published_events_per_s"); f = m("herald-fsync", "published_events_per_s"); r = m("rabbit", "published_events_per_s")
    row("  events/s accepted from the publisher meanwhile", h, f, r, "(3 deliveries each; delivery can not outrun it)")
    h = m("herald", "cpu_us_per_delivery"); f = m("herald-fsync", "cpu_us_per_delivery"); r = m("rabbit", "cpu_us_per_delivery")
    row("CPU µs per delivery (rabbitmq: broker+consumers)", h, f, r, "herald/rabbitmq " ratio(h, r) ", herald --fsync/rabbitmq " ratio(f, r))
    n = split(rates, rs, " ")
    for (i = 1; i <= n; i++) {
      row("ingest -> receiver p50 ms at " rs[i] "/s x 3", m("herald", "p50_ms_at_" rs[i]), "", m("rabbit", "p50_ms_at_" rs[i]), "")
      row("ingest -> receiver p99 ms at " rs[i] "/s x 3", m("herald", "p99_ms_at_" rs[i]), "", m("rabbit", "p99_ms_at_" rs[i]), "")
    }
    for (s = 1; s <= 2; s++) {
      sys = (s == 1 ? "herald" : "rabbit")
      base = m(sys, "p99_ms_at_" nrate); with = m(sys, "neighbours_p99_ms")
      growth[sys] = (base != "" && with != "" && base > 0) ? sprintf("%+.0f%% (%+.0f ms)", (with - base) * 100 / base, with - base) : "-"
    }
    row("healthy p99 ms at " nrate "/s with a failing + slow neighbour", m("herald", "neighbours_p99_ms"), "", m("rabbit", "neighbours_p99_ms"),
        "vs without: herald " growth["herald"] ", rabbitmq " growth["rabbit"])
    row("Herald peak RSS MiB", m("herald", "peak_rss_mib"), "", "", "")
  }' "$results"
