#!/usr/bin/env bash
# Ingest benchmark of Herald: throughput and latency of POST /v1/events, with and without --fsync,
# against the ceiling of a plain Kafka producer on the same embedded broker.
#
# Run from anywhere (it works from the repo root):   herald-bench/run-ingest-bench.sh
#
# For each configuration (default, --fsync) it starts `./herald serve` on a fresh temporary data
# directory and a free port, waits for /health/ready, then runs:
#   throughput  ingest, closed loop, $CONCURRENCY workers, batches of $BATCH x $EVENT_BYTES B,
#               $WARMUP s warm-up + $DURATION s measured
#   raw         raw-produce (KafkaProducer configured like Herald's), same broker, same batch and
#               concurrency, $RAW_WARMUP s warm-up + $DURATION s measured
#   latency     ingest, open loop, $LAT_RATE events/s in batches of $LAT_BATCH,
#               $LAT_WARMUP s warm-up + $DURATION s measured
# It samples Herald's CPU (/proc/PID/stat, over the inner part of each measured window) and its
# peak RSS (VmHWM), stops Herald with SIGTERM (only the process it started) and deletes the
# temporary directory. Results: a markdown table on stdout; raw outputs in $OUT_DIR.
#
# Knobs (environment): CONFIGS="default fsync" SCENARIOS="throughput raw latency" DURATION=30 WARMUP=10 RAW_WARMUP=5 LAT_WARMUP=10
#   CONCURRENCY=16 BATCH=100 EVENT_BYTES=300 LAT_RATE=5000 LAT_BATCH=10
#   BENCH_JAVA_OPTS="-Xmx512m -XX:+UseSerialGC" PROFILE=0 (1: JFR recording + thread dump during throughput)
#   QUIET_WAIT=0 (N: before each scenario wait up to N s until other processes use < 0.15 cores
#   for 10 s; for shared machines. Each scenario reports the CPU other processes used anyway.)
#   OUT_DIR=herald-bench/target/bench-results/<time>  TMP_BASE=${TMPDIR:-/tmp}
#   HERALD_JAVA_OPTS is passed through to ./herald (its default is -Xmx320m -XX:+UseParallelGC).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

CONFIGS=${CONFIGS:-default fsync}
SCENARIOS=${SCENARIOS:-throughput raw latency}
DURATION=${DURATION:-30}
WARMUP=${WARMUP:-10}
RAW_WARMUP=${RAW_WARMUP:-5}
LAT_WARMUP=${LAT_WARMUP:-10}
CONCURRENCY=${CONCURRENCY:-16}
BATCH=${BATCH:-100}
EVENT_BYTES=${EVENT_BYTES:-300}
LAT_RATE=${LAT_RATE:-5000}
LAT_BATCH=${LAT_BATCH:-10}
BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx512m -XX:+UseSerialGC}
PROFILE=${PROFILE:-0}
QUIET_WAIT=${QUIET_WAIT:-0}
OUT_DIR=${OUT_DIR:-$root/herald-bench/target/bench-results/$(date +%Y%m%d-%H%M%S)}
TMP_BASE=${TMP_BASE:-${TMPDIR:-/tmp}}

for tool in curl jq awk; do
  command -v "$tool" >/dev/null || { echo "run-ingest-bench: needs $tool" >&2; exit 1; }
done
. "$root/.mvn/find-jdk.sh"
herald_find_jdk || exit 1
JAVA="$JAVA_HOME/bin/java"
BENCH_JAR="$root/herald-bench/target/herald-bench.jar"
HERALD_JAR="$root/herald-cli/target/herald.jar"

# --- build if needed ---------------------------------------------------------------------------
if [ ! -f "$HERALD_JAR" ]; then
  echo "building Herald (./mvnw -q package -DskipTests)" >&2
  ./mvnw -q package -DskipTests -Dspotless.check.skip=true
fi
if [ ! -f "$BENCH_JAR" ]; then
  echo "building herald-bench" >&2
  ./mvnw -q -pl herald-bench package -DskipTests -Dspotless.check.skip=true
fi

mkdir -p "$OUT_DIR"
RESULTS="$OUT_DIR/results.jsonl"
: >"$RESULTS"
CLK_TCK=$(getconf CLK_TCK)

HPID=""
DATA_DIR=""

now() { date +%s.%N; }

# utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat).
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }

# Reads /proc/.../stat files in one awk (no fork per file: snapshots stay cheap and quick) and
# prints one line per file: id ticks name, where ticks = utime + stime and spaces in names are _.
stat_ticks() {
  awk '{
    n = split($0, parts, ") "); rest = parts[n]
    name = substr($0, index($0, "(") + 1, length($0) - length(rest) - index($0, "(") - 2)
    gsub(/ /, "_", name); split(rest, f, " ")
    print $1, f[12] + f[13], name
  }' "$@" 2>/dev/null
}

# One line per thread of process $1: tid ticks name
thread_ticks() { stat_ticks /proc/"$1"/task/*/stat; }

# Busy ticks of the whole machine (all CPUs, every process): user nice system irq softirq steal.
machine_ticks() { awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }

# One line per process: pid ticks name (to show who else used the CPUs during a window).
process_ticks() { stat_ticks /proc/[0-9]*/stat; }

status_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }

stop_herald() {
  if [ -n "$HPID" ] && kill -0 "$HPID" 2>/dev/null; then
    kill -TERM "$HPID" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$HPID" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$HPID" 2>/dev/null; then
      echo "Herald (pid $HPID) did not stop within 30 s of SIGTERM; sending SIGKILL" >&2
      kill -KILL "$HPID" 2>/dev/null || true
    fi
    wait "$HPID" 2>/dev/null || true
  fi
  HPID=""
  if [ -n "$DATA_DIR" ] && [ -d "$DATA_DIR" ]; then rm -rf "$DATA_DIR"; fi
  DATA_DIR=""
}
trap stop_herald EXIT
trap 'stop_herald; exit 130' INT TERM

start_herald() { # $1 = config name
  local cfg=$1 port flags=()
  [ "$cfg" = fsync ] && flags=(--fsync)
  DATA_DIR=$(mktemp -d "$TMP_BASE/herald-bench.XXXXXX")
  # Which build ran: the jar may be rebuilt between configurations while others work on Herald.
  HERALD_BUILD="$(sha256sum "$HERALD_JAR" | cut -c1-12) $(date -r "$HERALD_JAR" +%H:%M:%S)"
  echo "[$cfg] herald.jar $HERALD_BUILD" >&2
  port=$("$JAVA" -jar "$BENCH_JAR" free-port)
  echo "[$cfg] starting ./herald serve --data-dir $DATA_DIR --port $port ${flags[*]}" >&2
  ./herald serve --data-dir "$DATA_DIR" --port "$port" "${flags[@]}" >"$OUT_DIR/herald-$cfg.log" 2>&1 &
  HPID=$!
  local t0 ready=""
  t0=$(now)
  for _ in $(seq 1 240); do
    if ! kill -0 "$HPID" 2>/dev/null; then
      echo "[$cfg] Herald exited during start; last lines of its log:" >&2
      tail -20 "$OUT_DIR/herald-$cfg.log" >&2
      return 1
    fi
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/health/ready" 2>/dev/null \
      && [ -f "$DATA_DIR/runtime.properties" ]; then
      ready=1
      break
    fi
    sleep 0.5
  done
  [ -n "$ready" ] || { echo "[$cfg] Herald not ready after 120 s" >&2; return 1; }
  echo "[$cfg] ready in $(awk -v a="$t0" -v b="$(now)" 'BEGIN{printf "%.1f", b - a}') s" >&2
  HTTP_URL=$(sed -n 's/^http\.url=//p' "$DATA_DIR/runtime.properties" | sed 's/\\:/:/g')
  BOOTSTRAP=$(sed -n 's/^kafka\.bootstrap=//p' "$DATA_DIR/runtime.properties" | sed 's/\\:/:/g')
  local rpid
  rpid=$(sed -n 's/^pid=//p' "$DATA_DIR/runtime.properties")
  if [ "$rpid" != "$HPID" ]; then
    echo "[$cfg] warning: runtime.properties says pid=$rpid, started pid $HPID; measuring $HPID" >&2
  fi
  : "${HTTP_URL:=http://127.0.0.1:$port}"
}

# Samples Herald's CPU, per-thread CPU and RSS over [start + $1 + 1, start + $1 + 1 + $2 - 2] s,
# i.e. inside the bench's measured window (the bench JVM starts in well under a second).
sample_window() { # $1 warmup s, $2 duration s, $3 file prefix, $4 profile 0|1
  local span=$(($2 - 2))
  sleep "$(($1 + 1))"
  kill -0 "$HPID" 2>/dev/null || return 0
  echo "$(now) $(cpu_ticks "$HPID") $(machine_ticks)" >"$3.cpu0"
  thread_ticks "$HPID" >"$3.threads0"
  process_ticks >"$3.procs0"
  if [ "$4" = 1 ]; then
    "$JAVA_HOME/bin/jcmd" "$HPID" Thread.print >"$3.threaddump.txt" 2>&1 || true
    "$JAVA_HOME/bin/jcmd" "$HPID" JFR.start name=bench settings=profile \
      duration="$((span - 1))s" filename="$3.jfr" >/dev/null 2>&1 || true
  fi
  sleep "$span"
  kill -0 "$HPID" 2>/dev/null || return 0
  echo "$(now) $(cpu_ticks "$HPID") $(machine_ticks)" >"$3.cpu1"
  thread_ticks "$HPID" >"$3.threads1"
  process_ticks >"$3.procs1"
}

# Top threads by CPU over the sampled span (names with digits folded, e.g. worker-#).
thread_report() { # $1 prefix
  [ -f "$1.threads1" ] || return 0
  awk -v tck="$CLK_TCK" -v secs="$(awk '{print $1}' "$1.cpu1")" -v secs0="$(awk '{print $1}' "$1.cpu0")" '
    NR == FNR { before[$1] = $2; next }
    { d = $2 - before[$1]; name = $3; gsub(/[0-9]+/, "#", name); by[name] += d; total += d }
    END {
      span = secs - secs0
      for (n in by) if (by[n] > 0) printf "%6.2f cores  %5.1f%%  %s\n", by[n] / tck / span, 100 * by[n] / total, n
    }' "$1.threads0" "$1.threads1" | sort -rn | head -15
}

# Cores used over the sampled span by processes other than Herald and the bench ($2).
others_cores() { # $1 prefix, $2 bench pid
  [ -f "$1.procs1" ] || { echo null; return; }
  awk -v tck="$CLK_TCK" -v herald="$HPID" -v bench="$2" \
    -v span="$(awk 'NR == 1 {t0 = $1} NR == 2 {print $1 - t0}' "$1.cpu0" "$1.cpu1")" '
    NR == FNR { before[$1] = $2; next }
    $1 != herald && $1 != bench { d = $2 - before[$1]; if (d > 0) sum += d }
    END { printf "%.2f", sum / tck / span }' "$1.procs0" "$1.procs1"
}

# Waits (at most QUIET_WAIT s) until processes other than Herald use < 0.15 cores for 2 x 5 s.
wait_quiet() {
  [ "$QUIET_WAIT" -gt 0 ] || return 0
  local deadline=$(($(date +%s) + QUIET_WAIT)) calm=0 m0 h0 m1 h1
  while [ "$(date +%s)" -lt "$deadline" ]; do
    m0=$(machine_ticks); h0=$(cpu_ticks "$HPID")
    sleep 5
    m1=$(machine_ticks); h1=$(cpu_ticks "$HPID")
    if [ $(((m1 - m0) - (h1 - h0))) -lt $((CLK_TCK * 5 * 15 / 100)) ]; then
      calm=$((calm + 1))
      [ "$calm" -ge 2 ] && return 0
    else
      calm=0
    fi
  done
  echo "machine still busy after ${QUIET_WAIT} s; running anyway" >&2
}

# Processes by CPU over the sampled span; Herald and the bench are marked.
process_report() { # $1 prefix, $2 bench pid
  [ -f "$1.procs1" ] || return 0
  awk -v tck="$CLK_TCK" -v herald="$HPID" -v bench="$2" \
    -v span="$(awk 'NR == 1 {t0 = $1} NR == 2 {print $1 - t0}' "$1.cpu0" "$1.cpu1")" '
    NR == FNR { before[$1] = $2; next }
    {
      d = $2 - before[$1]
      if (d > 0) {
        who = $1 == herald ? "(herald)" : $1 == bench ? "(bench)" : ""
        printf "%6.2f cores  pid %-7s %s %s\n", d / tck / span, $1, $3, who
      }
    }' "$1.procs0" "$1.procs1" | sort -rn | head -8
}

run_scenario() { # $1 config, $2 scenario, $3 warmup s, then bench arguments
  local cfg=$1 name=$2 warmup=$3
  shift 3
  local prefix="$OUT_DIR/$cfg-$name" profile=0 rc=0
  [ "$PROFILE" = 1 ] && [ "$name" = throughput ] && profile=1
  wait_quiet
  echo "[$cfg] $name: herald-bench $*" >&2
  sample_window "$warmup" "$DURATION" "$prefix" "$profile" &
  local sampler=$!
  # shellcheck disable=SC2086
  "$JAVA" $BENCH_JAVA_OPTS -jar "$BENCH_JAR" "$@" >"$prefix.txt" 2>"$prefix.err" &
  local bench=$!
  wait "$bench" || rc=$?
  wait "$sampler" || true
  sed -n '3,$p' "$prefix.txt" >&2
  [ -s "$prefix.err" ] && cat "$prefix.err" >&2
  local json cores="null" busy="null" others
  others=$(others_cores "$prefix" "$bench")
  json=$(grep -m1 '^{' "$prefix.txt" || echo '{}')
  if [ -f "$prefix.cpu1" ]; then
    cores=$(awk -v tck="$CLK_TCK" 'NR == 1 {t0 = $1; c0 = $2} NR == 2 {printf "%.2f", ($2 - c0) / tck / ($1 - t0)}' \
      "$prefix.cpu0" "$prefix.cpu1")
    busy=$(awk -v tck="$CLK_TCK" 'NR == 1 {t0 = $1; c0 = $3} NR == 2 {printf "%.2f", ($3 - c0) / tck / ($1 - t0)}' \
      "$prefix.cpu0" "$prefix.cpu1")
  fi
  # Herald's ingest producer, for comparison with raw-produce's "producer" params (Kafka's
  # metrics are averages over its last ~30-60 s, so they describe the end of this scenario).
  local producer
  producer=$(curl -fsS "$HTTP_URL/metrics" 2>/dev/null | awk '
    /^kafka_producer_(batch_size_avg|records_per_request_avg|request_latency_avg|record_queue_time_avg|compression_rate_avg)\{/ && /client_id="herald-ingest"/ && !/node_id|topic=/ && $2 ~ /^[-0-9.eE+]+$/ {
      name = $1; sub(/\{.*/, "", name); sub(/^kafka_producer_/, "", name); gsub(/_/, "-", name)
      printf "%s\"%s\":%s", sep, name, $2; sep = ","
    }' | sed 's/^/{/; s/$/}/')
  [ "$producer" = "{}" ] || [ -z "$producer" ] || [ "$name" = raw ] && producer="null"
  local hwm rss
  hwm=$(status_kb "$HPID" VmHWM)
  rss=$(status_kb "$HPID" VmRSS)
  jq -c --arg cfg "$cfg" --arg name "$name" --argjson rc "$rc" --arg build "$HERALD_BUILD" --argjson cores "$cores" --argjson busy "$busy" --argjson others "$others" --argjson producer "$producer" \
    --argjson hwm "${hwm:-0}" --argjson rss "${rss:-0}" \
    '. + {config: $cfg, name: $name, exit: $rc, heraldBuild: $build, heraldCores: $cores, machineBusyCores: $busy, otherProcessesCores: $others, heraldProducer: $producer,
          heraldPeakRssMb: ($hwm / 1024 | floor), heraldRssMb: ($rss / 1024 | floor)}' \
    <<<"$json" >>"$RESULTS"
  if [ -f "$prefix.threads1" ]; then
    thread_report "$prefix" >"$prefix.top-threads.txt"
    echo "[$cfg] $name: Herald threads by CPU (sampled inside the measured window)" >&2
    sed 's/^/    /' "$prefix.top-threads.txt" >&2
    process_report "$prefix" "$bench" >"$prefix.top-processes.txt"
    echo "[$cfg] $name: processes by CPU (same span)" >&2
    sed 's/^/    /' "$prefix.top-processes.txt" >&2
  fi
  if [ "$profile" = 1 ] && [ -f "$prefix.jfr" ]; then
    "$JAVA_HOME/bin/jfr" view --width 160 hot-methods "$prefix.jfr" >"$prefix.hot-methods.txt" 2>&1 || true
  fi
  sleep 3
}

machine() {
  echo "- CPUs: $(nproc) x $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
  echo "- RAM: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "- JDK: $("$JAVA" -version 2>&1 | head -1)"
  echo "- Data dir filesystem: $(df -T "$TMP_BASE" | awk 'NR == 2 {print $2}') ($TMP_BASE)"
  echo "- Kernel: $(uname -r)"
}

echo "results in $OUT_DIR" >&2
for cfg in $CONFIGS; do
  start_herald "$cfg"
  wants() { case " $SCENARIOS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
  wants throughput && run_scenario "$cfg" throughput "$WARMUP" ingest --url "$HTTP_URL" --mode closed \
    --concurrency "$CONCURRENCY" --batch "$BATCH" --event-bytes "$EVENT_BYTES" \
    --warmup "${WARMUP}s" --duration "${DURATION}s"
  wants raw && run_scenario "$cfg" raw "$RAW_WARMUP" raw-produce --bootstrap "$BOOTSTRAP" \
    --concurrency "$CONCURRENCY" --batch "$BATCH" --event-bytes "$EVENT_BYTES" \
    --warmup "${RAW_WARMUP}s" --duration "${DURATION}s"
  wants latency && run_scenario "$cfg" latency "$LAT_WARMUP" ingest --url "$HTTP_URL" --mode open \
    --rate "$LAT_RATE" --batch "$LAT_BATCH" --event-bytes "$EVENT_BYTES" \
    --warmup "${LAT_WARMUP}s" --duration "${DURATION}s"
  # Where the resident memory is: heap sizes as the JVM sees them, next to VmHWM in the results.
  "$JAVA_HOME/bin/jcmd" "$HPID" GC.heap_info >"$OUT_DIR/$cfg-heap-info.txt" 2>&1 || true
  grep -E '^Vm(HWM|RSS)' "/proc/$HPID/status" >>"$OUT_DIR/$cfg-heap-info.txt" || true
  stop_herald
done

# --- report ------------------------------------------------------------------------------------
{
  echo
  echo "## Machine"
  echo
  machine
  echo
  echo "## Results"
  echo
  echo "| config | herald.jar (sha, mtime) | scenario | events/s | req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | errors | Herald CPU (cores) | bench CPU (cores) | other processes (cores) | machine busy (cores) | Herald peak RSS MB |"
  echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|"
  jq -r '
    def n: if . == null then "–" else tostring end;
    def ms: if . == null then "–" else (. * 100 | round / 100 | tostring) end;
    "| \(.config) | \(.heraldBuild) | \(.name) | \(.eventsPerSec // null | if . == null then "–" else (round | tostring) end) | \(.requestsPerSec // null | if . == null then "–" else (round | tostring) end) | \(.p50Ms | ms) | \(.p90Ms | ms) | \(.p99Ms | ms) | \(.p999Ms | ms) | \(.maxMs | ms) | \((.failedEntries // 0) + (.httpErrors // 0) + (.failures // 0) | tostring)\(if (.errors // {}) == {} then "" else " " + (.errors | tostring) end)\(if .exit != 0 then " (exit \(.exit))" else "" end) | \(.heraldCores | n) | \(if .clientCpuSec == null then "–" else (.clientCpuSec / .seconds * 100 | round / 100 | tostring) end) | \(.otherProcessesCores | n) | \(.machineBusyCores | n) | \(.heraldPeakRssMb | n) |"
  ' "$RESULTS"
  echo
  echo "## Goals"
  echo
  jq -rs '
    def ok(c): if c then "met" else "MISSED" end;
    group_by(.config)[] as $g
    | ($g | map(select(.name == "throughput"))[0]) as $t
    | ($g | map(select(.name == "raw"))[0]) as $r
    | ($g | map(select(.name == "latency"))[0]) as $l
    | ($g | map(.heraldPeakRssMb // 0) | max) as $rss
    | "- \($g[0].config): throughput \($t.eventsPerSec // 0 | round) events/s (goal >= 100000: \(ok(($t.eventsPerSec // 0) >= 100000)));"
      + " ratio to raw producer \(if ($r.eventsPerSec // 0) > 0 then (($t.eventsPerSec // 0) / $r.eventsPerSec * 100 | round / 100) else "n/a" end)"
      + " (goal >= 0.5: \(ok(($r.eventsPerSec // 0) > 0 and ($t.eventsPerSec // 0) / $r.eventsPerSec >= 0.5)));"
      + " p99 at \($l.params.rate // "?") events/s \($l.p99Ms // "n/a") ms with \(($l.failedEntries // 0) + ($l.httpErrors // 0) + ($l.failures // 0)) errors"
      + " (goal < 20 ms, no errors: \(ok(($l.p99Ms // 1e9) < 20 and ($l.failedEntries // 0) + ($l.httpErrors // 0) + ($l.failures // 0) == 0)));"
      + " peak RSS \($rss) MB (goal < 600: \(ok($rss > 0 and $rss < 600)))"
  ' "$RESULTS"
} | tee "$OUT_DIR/report.md"
