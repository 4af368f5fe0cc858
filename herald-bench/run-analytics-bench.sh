#!/usr/bin/env bash
# Analytics store benchmark (AnalyticsBench): loads EVENTS delivered events straight through the
# analytics store's append path into a fresh DuckDB file (deleted afterwards), then times count
# queries over the per-minute rollups (1 h at 1m and 1 d at 1h, p50/p99) and reports the
# ingestion rate, the file size and the peak RSS.
#
#   herald-bench/run-analytics-bench.sh                   # 10,000,000 events (long: plan for it)
#   EVENTS=1000000 herald-bench/run-analytics-bench.sh    # what a shared 2-core machine can take
#
# Knobs (environment): EVENTS=10000000 DAYS=7 QUERIES=50 MEMORY_LIMIT=256MB THREADS=1
#   IN_FLIGHT=0 (rows awaiting their commit at most, as Herald's deliveries: 192 = 3 targets x 64)
#   BENCH_JAVA_OPTS="-Xmx512m"
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. "$root/.mvn/find-jdk.sh"
herald_find_jdk || exit 1
[ -f herald-bench/target/herald-bench.jar ] \
  || ./mvnw -q package -DskipTests -Dspotless.check.skip=true -pl herald-bench -am
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${BENCH_JAVA_OPTS:--Xmx512m} \
  -cp herald-bench/target/herald-bench.jar dev.herald.bench.analytics.AnalyticsBench \
  --events "${EVENTS:-10000000}" --days "${DAYS:-7}" --queries "${QUERIES:-50}" \
  --memory-limit "${MEMORY_LIMIT:-256MB}" --threads "${THREADS:-1}" --in-flight "${IN_FLIGHT:-0}"
