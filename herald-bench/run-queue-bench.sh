#!/usr/bin/env bash
# Queue benchmark (issue 13, "Speed"): receive + delete of batches of MAX by CONSUMERS concurrent
# consumers through the native queue API and through the SQS protocol (the AWS SDK's SqsClient),
# side by side against one `./herald serve` (embedded, SQLite) on a fresh data directory, with
# Herald's CPU per message over each consume phase (/proc/PID/stat, sampled every second).
# With OLD set, the same against OLD's build first (its ./herald; the benchmark classes are NEW's).
#
#   herald-bench/run-queue-bench.sh                       # this checkout only
#   OLD=/path/to/old/checkout herald-bench/run-queue-bench.sh
#
# Knobs: EVENTS=30000 CONSUMERS=8 MAX=10 APIS=native,sqs,native (the last native runs warm)
# Both checkouts must be built (./mvnw -q package -DskipTests). It stops only the Herald it started.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/.mvn/find-jdk.sh"
herald_find_jdk || exit 1
NEW=${NEW:-$root}
OLD=${OLD:-}
EVENTS=${EVENTS:-30000}
CONSUMERS=${CONSUMERS:-8}
MAX=${MAX:-10}
APIS=${APIS:-native,sqs,native}
BENCH="$JAVA_HOME/bin/java -Xmx512m -cp $NEW/herald-bench/target/herald-bench.jar"
tmp=$(mktemp -d)
pid=""
sampler=""
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

run() { # label dir
  local label=$1 dir=$2 data="$tmp/$1/data"
  mkdir -p "$tmp/$label"
  HERALD_DATA_DIR="$data" HERALD_PORT=0 "$dir/herald" serve > "$tmp/$label/log" 2>&1 &
  pid=$!
  for _ in $(seq 1 1200); do [ -f "$data/runtime.properties" ] && break; sleep 0.1; done
  local url; url=$(sed -n 's/^http.url=//p' "$data/runtime.properties")
  for _ in $(seq 1 1200); do curl -sf "$url/health/ready" >/dev/null 2>&1 && break; sleep 0.1; done
  (while kill -0 "$pid" 2>/dev/null; do
     echo "$(date +%s.%N) $(awk '{print $14+$15}' "/proc/$pid/stat" 2>/dev/null)"; sleep 1
   done) > "$tmp/$label/cpu" &
  sampler=$!
  echo "== $label ($dir): $(uptime)"
  $BENCH dev.herald.bench.queue.QueueBench "$url" "$EVENTS" "$CONSUMERS" "$MAX" "$APIS" \
    | while IFS= read -r line; do echo "$(date +%s.%N) $line"; done > "$tmp/$label/out"
  cut -d' ' -f2- "$tmp/$label/out"
  echo "== after: $(uptime)"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true; sampler=""
  # Herald's CPU over each consume phase: the samples nearest its start and its end
  awk -v ticks="$(getconf CLK_TCK)" '
    FNR == NR { t[n] = $1; c[n++] = $2; next }
    /consumers:/ {
      end = $1; split($0, a, " in "); split(a[2], b, " "); start = end - b[1]
      split($0, d, "deleted "); split(d[2], e, " ")
      i = nearest(start); j = nearest(end)
      printf "%s Herald CPU %.2f cores, %.0f us per message\n", $2, (c[j] - c[i]) / ticks / (t[j] - t[i]), (c[j] - c[i]) / ticks * 1e6 / e[1]
    }
    function nearest(x,   k, best) { best = 0; for (k = 0; k < n; k++) if ((t[k] - x)^2 < (t[best] - x)^2) best = k; return best }
  ' "$tmp/$label/cpu" "$tmp/$label/out"
}

[ -n "$OLD" ] && run old "$OLD"
run new "$NEW"
