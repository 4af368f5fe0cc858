#!/usr/bin/env bash
# Tracing off vs on (issue 12, part 4): one build, Herald launched in turn without OTEL_* and with
# OTEL_EXPORTER_OTLP_ENDPOINT pointing at a local OTLP sink (default sampler: parentbased_traceidratio
# 0.01; the benchmark's publishes carry no traceparent, so 1% of them start a sampled trace whose
# ingest, routing and attempt spans are exported). Per setting and mode of MODES (DeliveryBench: log,
# webhook): deliveries/s and Herald's CPU per delivery (process CPU from /proc over the measured
# phase after the warm-up, ingest and routing included). Alternates which setting goes first;
# medians and on/off ratios last.
#
#   ./mvnw -q package -DskipTests && herald-bench/run-tracing-bench.sh
#
# Knobs: MODES="log webhook" EVENTS=60000 REPEAT=3 LAT_SECONDS=5 SAMPLER_ARG=0.01
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/.mvn/find-jdk.sh"
herald_find_jdk || exit 1
MODES=${MODES:-log webhook}
EVENTS=${EVENTS:-60000}
REPEAT=${REPEAT:-3}
LAT_SECONDS=${LAT_SECONDS:-5}
SAMPLER_ARG=${SAMPLER_ARG:-0.01}
BENCH="$JAVA_HOME/bin/java -Xmx512m -cp $root/herald-bench/target/herald-bench.jar"
[ -x "$root/herald" ] && [ -f "$root/herald-cli/target/herald.jar" ] \
  || { echo "no built Herald (./mvnw -q package -DskipTests)" >&2; exit 1; }
tmp=$(mktemp -d)
pid=""
sink=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  [ -n "$sink" ] && kill "$sink" 2>/dev/null
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
results="$tmp/results"

# the OTLP sink: accepts POST /v1/traces, counts requests and bytes, answers 200
python3 - "$tmp/sink.port" "$tmp/sink.count" <<'PY' &
import http.server, sys, threading
count = [0, 0]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0")); self.rfile.read(n)
        count[0] += 1; count[1] += n
        open(sys.argv[2], "w").write(f"{count[0]} {count[1]}\n")
        self.send_response(200); self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a): pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(s.server_address[1]))
s.serve_forever()
PY
sink=$!
for _ in $(seq 1 500); do [ -s "$tmp/sink.port" ] && break; sleep 0.01; done
ENDPOINT="http://127.0.0.1:$(cat "$tmp/sink.port")"

start() { # name env...
  local name=$1; shift
  local data="$tmp/$name/data"
  rm -rf "$tmp/$name"; mkdir -p "$tmp/$name"
  env "$@" HERALD_DATA_DIR="$data" HERALD_PORT=0 "$root/herald" serve > "$tmp/$name/log" 2>&1 &
  pid=$!
  for _ in $(seq 1 1200); do [ -f "$data/runtime.properties" ] && break; sleep 0.01; done
  URL=$(sed -n 's/^http.url=//p' "$data/runtime.properties")
  for _ in $(seq 1 6000); do
    curl -sf "$URL/health/ready" >/dev/null 2>&1 && break
    sleep 0.01
  done
}

stop() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; }

run() { # label env...
  local label=$1; shift
  for mode in $MODES; do
    start "$label-$mode" HERALD_TARGET_LOG_LEVEL=OFF "$@"
    $BENCH dev.herald.bench.route.DeliveryBench "$URL" "$EVENTS" "$LAT_SECONDS" "$mode" 1000 \
      | tee "$tmp/out"
    sed -n 's/.*: \([0-9]*\) deliveries\/s .*Herald CPU \([0-9]*\) µs per delivery.*/\1 \2/p' "$tmp/out" \
      | awk -v l="$label" -v m="$mode" '{print l, m "_deliveries_per_s", $1; print l, m "_cpu_us_per_delivery", $2}' >> "$results"
    stop
  done
}

off() { run off; }
on() {
  run on OTEL_EXPORTER_OTLP_ENDPOINT="$ENDPOINT" OTEL_TRACES_SAMPLER=parentbased_traceidratio \
    OTEL_TRACES_SAMPLER_ARG="$SAMPLER_ARG"
}

for round in $(seq 1 "$REPEAT"); do
  echo "== round $round"
  if [ $((round % 2)) -eq 1 ]; then off; on; else on; off; fi
done

echo
echo "== OTLP sink: $(cat "$tmp/sink.count" 2>/dev/null || echo '0 0') (export requests, bytes)"
echo "== medians of $REPEAT rounds (sampler ratio $SAMPLER_ARG; $(nproc) cores, load average now $(cut -d' ' -f1-3 /proc/loadavg))"
awk '
  { v[$1 " " $2] = v[$1 " " $2] " " $3; keys[$2] = 1 }
  function median(list,   a, n, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return a[int((n + 1) / 2)]
  }
  END {
    printf "%-34s %12s %12s %10s\n", "measure", "off", "on", "on/off"
    for (k in keys) {
      o = median(v["off " k]); n = median(v["on " k])
      printf "%-34s %12s %12s %10.2f\n", k, o, n, (o > 0 ? n / o : 0)
    }
  }' "$results" | sort
