#!/usr/bin/env bash
# A replay of an ARCHIVE-event archive into one webhook target while live traffic flows (RATE
# events/s in batches of 10 for SECONDS), against the same live traffic without a replay, side by
# side against one fresh Herald (ReplayBench): the live ingestion-to-receiver p50/p99 of each and
# the replay's rate while live traffic flowed.
#
#   herald-bench/run-replay-bench.sh     # knobs: ARCHIVE=1000000 RATE=500 SECONDS=60
#
# The replay routes at most HERALD_REPLAY_EVENTS_PER_SECOND (default 2,000) events/s, so the whole
# of a 1,000,000-event archive takes SECONDS=600 or more. Needs a built checkout (./mvnw -q package
# -DskipTests).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/.mvn/find-jdk.sh"
herald_find_jdk || exit 1
ARCHIVE=${ARCHIVE:-1000000}
RATE=${RATE:-500}
SECONDS_LIVE=${SECONDS:-60}
tmp=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
data="$tmp/data"
HERALD_DATA_DIR="$data" HERALD_PORT=0 "$root/herald" serve > "$tmp/log" 2>&1 &
pid=$!
while kill -0 "$pid" 2>/dev/null && ! [ -f "$data/runtime.properties" ]; do sleep 0.05; done
URL=$(sed -n 's/^http.url=//p' "$data/runtime.properties")
while kill -0 "$pid" 2>/dev/null && ! curl -sf "$URL/health/ready" >/dev/null 2>&1; do sleep 0.05; done
echo "Herald pid $pid at $URL; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA_HOME/bin/java" -Xmx512m -cp "$root/herald-bench/target/herald-bench.jar" \
  dev.herald.bench.route.ReplayBench "$URL" "$ARCHIVE" "$RATE" "$SECONDS_LIVE"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
