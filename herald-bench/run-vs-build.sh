#!/usr/bin/env bash
# Two builds of Herald side by side, in turn, in one run (issue 10: goals 1, 5 and 6), so that the
# drift of a shared machine moves both alike:
#   per build and mode of MODES (DeliveryBench: log = 3 log targets with HERALD_TARGET_LOG_LEVEL=OFF,
#   webhook = 3 webhook targets on one local receiver): deliveries/s and Herald's CPU per delivery
#   (ingest and routing included) after a warm-up; Herald's peak RSS;
#   per build: launch to ready (each build's own ./herald launcher, its class-data archive warm)
#   and how soon a new target gets an event published 100 ms after its PUT (NewTargetBench).
# Each pair runs REPEAT times, alternating which build goes first; medians and new/old ratios last.
#
#   OLD=/path/to/old/checkout [NEW=/path/to/new/checkout] herald-bench/run-vs-build.sh
#
# Both checkouts must be built (./mvnw -q package -DskipTests). The benchmark classes are NEW's.
# Knobs: MODES="log webhook" EVENTS=60000 REPEAT=3 LAT_SECONDS=5 ROUNDS=5
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/.mvn/find-jdk.sh"
herald_find_jdk || exit 1
OLD=${OLD:?set OLD to a built checkout of the old build}
NEW=${NEW:-$root}
MODES=${MODES:-log webhook}
EVENTS=${EVENTS:-60000}
REPEAT=${REPEAT:-3}
LAT_SECONDS=${LAT_SECONDS:-5}
ROUNDS=${ROUNDS:-5}
BENCH="$JAVA_HOME/bin/java -Xmx512m -cp $NEW/herald-bench/target/herald-bench.jar"
for dir in "$OLD" "$NEW"; do
  [ -x "$dir/herald" ] && [ -f "$dir/herald-cli/target/herald.jar" ] \
    || { echo "$dir: no built Herald (./herald, herald-cli/target/herald.jar)" >&2; exit 1; }
done
tmp=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
results="$tmp/results"

start() { # build-dir name env... ; sets URL, pid, READY_MS
  local dir=$1 name=$2; shift 2
  local data="$tmp/$name/data"
  rm -rf "$tmp/$name"; mkdir -p "$tmp/$name"
  local t0; t0=$(date +%s%N)
  env "$@" HERALD_DATA_DIR="$data" HERALD_PORT=0 "$dir/herald" serve > "$tmp/$name/log" 2>&1 &
  pid=$!
  for _ in $(seq 1 1200); do [ -f "$data/runtime.properties" ] && break; sleep 0.01; done
  URL=$(sed -n 's/^http.url=//p' "$data/runtime.properties")
  for _ in $(seq 1 6000); do
    curl -sf "$URL/health/ready" >/dev/null 2>&1 && break
    sleep 0.01
  done
  READY_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
}

stop() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; }

rss() { awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$pid/status"; }

run_build() { # label dir round
  local label=$1 dir=$2 round=$3
  # launch twice: the first run of a build may make its class-data archive
  start "$dir" "$label-warm"; stop
  start "$dir" "$label-probe"
  echo "$label ready_ms $READY_MS" >> "$results"
  echo "== $label (round $round): ready in $READY_MS ms"
  $BENCH dev.herald.bench.route.NewTargetBench "$URL" "$ROUNDS" | tee "$tmp/probe"
  sed -n 's/.*median \([0-9]*\) ms, max \([0-9]*\) ms.*/\1 \2/p' "$tmp/probe" \
    | awk -v l="$label" '{print l, "new_target_median_ms", $1; print l, "new_target_max_ms", $2}' >> "$results"
  stop
  for mode in $MODES; do
    start "$dir" "$label-$mode" HERALD_TARGET_LOG_LEVEL=OFF
    $BENCH dev.herald.bench.route.DeliveryBench "$URL" "$EVENTS" "$LAT_SECONDS" "$mode" 1000 \
      | tee "$tmp/out"
    sed -n 's/.*: \([0-9]*\) deliveries\/s .*Herald CPU \([0-9]*\) µs per delivery.*/\1 \2/p' "$tmp/out" \
      | awk -v l="$label" -v m="$mode" '{print l, m "_deliveries_per_s", $1; print l, m "_cpu_us_per_delivery", $2}' >> "$results"
    echo "$label ${mode}_peak_rss_mib $(rss)" >> "$results"
    echo "Herald peak RSS: $(rss) MiB"
    stop
  done
}

for round in $(seq 1 "$REPEAT"); do
  if [ $((round % 2)) -eq 1 ]; then
    run_build old "$OLD" "$round"; run_build new "$NEW" "$round"
  else
    run_build new "$NEW" "$round"; run_build old "$OLD" "$round"
  fi
done

echo
echo "== medians of $REPEAT rounds (old = $OLD, new = $NEW; $(nproc) cores, load average now $(cut -d' ' -f1-3 /proc/loadavg))"
awk '
  { v[$1 " " $2] = v[$1 " " $2] " " $3; keys[$2] = 1 }
  function median(list,   a, n, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return a[int((n + 1) / 2)]
  }
  END {
    printf "%-34s %12s %12s %10s\n", "measure", "old", "new", "new/old"
    for (k in keys) {
      o = median(v["old " k]); n = median(v["new " k])
      printf "%-34s %12s %12s %10.2f\n", k, o, n, (o > 0 ? n / o : 0)
    }
  }' "$results" | sort
