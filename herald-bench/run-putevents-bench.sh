#!/usr/bin/env bash
# PutEvents through the real AWS SDK (EventBridgeClient, endpointOverride + static credentials; auth
# off on loopback) vs the native POST /v1/events (herald-client), both in batches of 10 entries
# (AWS's maximum), side by side against one fresh Herald: events/s and Herald's CPU per event
# (/proc/<pid>/stat), medians of ROUNDS rounds that alternate which side goes first.
#
#   herald-bench/run-putevents-bench.sh        # knobs: BATCHES=2000 THREADS=4 ROUNDS=3
#
# Needs a built checkout (./mvnw -q package -DskipTests).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/.mvn/find-jdk.sh"
herald_find_jdk || exit 1
BATCHES=${BATCHES:-2000}
THREADS=${THREADS:-4}
ROUNDS=${ROUNDS:-3}
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
  dev.herald.bench.aws.PutEventsBench "$URL" "$pid" "$BATCHES" "$THREADS" "$ROUNDS"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
