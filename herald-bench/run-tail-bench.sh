#!/usr/bin/env bash
# CPU per delivery with and without a live tail open on the bus (issue 12): DeliveryBench in log
# mode (3 log targets, HERALD_TARGET_LOG_LEVEL=OFF) against a fresh Herald, once with no tail and
# once with `curl -N .../v1/buses/default/tail` reading every event, alternating which goes first,
# REPEAT times; prints medians of deliveries/s and Herald's CPU per delivery and the ratio.
#
#   herald-bench/run-tail-bench.sh            # knobs: EVENTS=60000 REPEAT=3 LAT_SECONDS=5 MODE=log
#
# Needs a built checkout (./mvnw -q package -DskipTests).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/.mvn/find-jdk.sh"
herald_find_jdk || exit 1
EVENTS=${EVENTS:-60000}
REPEAT=${REPEAT:-3}
LAT_SECONDS=${LAT_SECONDS:-5}
MODE=${MODE:-log}
BENCH="$JAVA_HOME/bin/java -Xmx512m -cp $root/herald-bench/target/herald-bench.jar"
tmp=$(mktemp -d)
pid=""
tail_pid=""
cleanup() {
  [ -n "$tail_pid" ] && kill "$tail_pid" 2>/dev/null
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
results="$tmp/results"

start() { # name; a start that fails (a broker slow to answer on a loaded machine) is tried again
  local data="$tmp/$1/data"
  for attempt in 1 2 3; do
    rm -rf "$tmp/$1"; mkdir -p "$tmp/$1"
    HERALD_TARGET_LOG_LEVEL=OFF HERALD_DATA_DIR="$data" HERALD_PORT=0 "$root/herald" serve > "$tmp/$1/log" 2>&1 &
    pid=$!
    while kill -0 "$pid" 2>/dev/null && ! [ -f "$data/runtime.properties" ]; do sleep 0.05; done
    if [ -f "$data/runtime.properties" ]; then
      URL=$(sed -n 's/^http.url=//p' "$data/runtime.properties")
      while kill -0 "$pid" 2>/dev/null && ! curl -sf "$URL/health/ready" >/dev/null 2>&1; do sleep 0.05; done
      kill -0 "$pid" 2>/dev/null && return 0
    fi
    echo "Herald did not start (attempt $attempt): $(tail -1 "$tmp/$1/log")" >&2
    wait "$pid" 2>/dev/null || true
  done
  exit 1
}

stop() {
  [ -n "$tail_pid" ] && { kill "$tail_pid" 2>/dev/null || true; wait "$tail_pid" 2>/dev/null || true; tail_pid=""; }
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""
}

run() { # label
  local label=$1
  start "$label"
  if [ "$label" = tail ]; then
    curl -sN "$URL/v1/buses/default/tail" > "$tmp/tail.out" &
    tail_pid=$!
    sleep 1
  fi
  $BENCH dev.herald.bench.route.DeliveryBench "$URL" "$EVENTS" "$LAT_SECONDS" "$MODE" 1000 | tee "$tmp/out"
  sed -n 's/.*: \([0-9]*\) deliveries\/s .*Herald CPU \([0-9]*\) µs per delivery.*/\1 \2/p' "$tmp/out" \
    | awk -v l="$label" '{print l, "deliveries_per_s", $1; print l, "cpu_us_per_delivery", $2}' >> "$results"
  if [ "$label" = tail ]; then
    echo "tail events_received $(grep -c '^event: event' "$tmp/tail.out" || true)" >> "$results"
  fi
  stop
}

for round in $(seq 1 "$REPEAT"); do
  if [ $((round % 2)) -eq 1 ]; then run none; run tail; else run tail; run none; fi
done

echo
echo "== medians of $REPEAT rounds ($MODE mode, $EVENTS events; $(nproc) cores, load average now $(cut -d' ' -f1-3 /proc/loadavg))"
cat "$results"
awk '
  { v[$1 " " $2] = v[$1 " " $2] " " $3; keys[$2] = 1 }
  function median(list,   a, n, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return a[int((n + 1) / 2)]
  }
  END {
    printf "%-24s %10s %10s %10s\n", "measure", "no tail", "tail", "tail/none"
    for (k in keys) {
      if (k == "events_received") continue
      o = median(v["none " k]); n = median(v["tail " k])
      printf "%-24s %10s %10s %10.3f\n", k, o, n, (o > 0 ? n / o : 0)
    }
  }' "$results" | sort
