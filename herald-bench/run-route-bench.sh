#!/usr/bin/env bash
# Routing benchmarks of Herald (issue 3), each on a fresh data dir, stopping what it started:
#   route        ingest -> router -> 3 target topics: routed events/s while draining a backlog,
#                vs a raw Kafka consume-and-produce loop on the same broker; then p50/p99 from
#                ingestion to target topic at 5,000 events/s (RouteBench)
#   propagation  two instances on one PostgreSQL store and one broker: how long a rule change
#                made on A takes to be applied by B (ConfigPropagationBench)
#   delivery     per mode of DELIVERY_MODES (DeliveryBench): webhook = 3 webhook targets on a local
#                receiver: deliveries/s, and ingestion -> receiver p50/p99 at 5,000 events/s;
#                neighbours = the same with a failing and a slow target beside them; log = 3 log
#                targets (lines formatted, not written): deliveries/s; analytics = 3 analytics
#                targets (rows committed to the DuckDB analytics store): deliveries/s. Herald's CPU
#                time per mode.
# Knobs: SCENARIOS="route propagation delivery" DELIVERY_EVENTS=60000 EVENTS=1000000 LAT_SECONDS=30 CHANGES=100
#        DELIVERY_MODES="webhook neighbours log" LAT_RATE=5000 (events/s of the delivery latency phase)
#        PG_URL=jdbc:postgresql://127.0.0.1:5432/test?user=postgres
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. "$root/.mvn/find-jdk.sh"
herald_find_jdk || exit 1
SCENARIOS=${SCENARIOS:-route propagation delivery}
EVENTS=${EVENTS:-1000000}
LAT_SECONDS=${LAT_SECONDS:-30}
CHANGES=${CHANGES:-100}
DELIVERY_EVENTS=${DELIVERY_EVENTS:-60000}
DELIVERY_MODES=${DELIVERY_MODES:-webhook neighbours log}
LAT_RATE=${LAT_RATE:-5000}
PG_URL=${PG_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}
BENCH="$JAVA_HOME/bin/java -Xmx512m -cp $root/herald-bench/target/herald-bench.jar"
[ -f herald-cli/target/herald.jar ] && [ -f herald-bench/target/herald-bench.jar ] \
  || ./mvnw -q package -DskipTests -Dspotless.check.skip=true
pids=()
tmp=$(mktemp -d)
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

start_herald() { # name, extra env... ; sets URL and BOOTSTRAP
  local name=$1; shift
  mkdir -p "$tmp/$name"
  rm -f "$tmp/$name/data/runtime.properties" # a mode run twice reuses its directory
  env "$@" HERALD_DATA_DIR="$tmp/$name/data" HERALD_PORT=0 ./herald serve > "$tmp/$name/log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 300); do
    [ -f "$tmp/$name/data/runtime.properties" ] && break
    sleep 0.1
  done
  URL=$(sed -n 's/^http.url=//p' "$tmp/$name/data/runtime.properties")
  BOOTSTRAP=$(sed -n 's/^kafka.bootstrap=//p' "$tmp/$name/data/runtime.properties")
  for _ in $(seq 1 1200); do
    curl -sf "$URL/health/ready" >/dev/null && return 0
    sleep 0.1
  done
  echo "Herald ($name) did not become ready in 2 minutes; see $tmp/$name/log" >&2
  return 1
}

for scenario in $SCENARIOS; do
  case $scenario in
    route)
      start_herald route
      $BENCH dev.herald.bench.route.RouteBench "$URL" "$BOOTSTRAP" "$EVENTS" "$LAT_SECONDS"
      herald_pid=$(sed -n 's/^pid=//p' "$tmp/route/data/runtime.properties")
      echo "Herald peak RSS: $(awk '/VmHWM/ {print $2/1024 " MiB"}' /proc/$herald_pid/status)"
      for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; pids=()
      ;;
    delivery)
      for mode in $DELIVERY_MODES; do
        start_herald "delivery-$mode" HERALD_TARGET_LOG_LEVEL=OFF
        herald_pid=$(sed -n 's/^pid=//p' "$tmp/delivery-$mode/data/runtime.properties")
        ticks() { awk '{print $14 + $15}' "/proc/$herald_pid/stat"; }
        before=$(ticks)
        echo "== delivery, mode $mode"
        $BENCH dev.herald.bench.route.DeliveryBench "$URL" "$DELIVERY_EVENTS" "$LAT_SECONDS" "$mode" "$LAT_RATE"
        echo "Herald CPU during the run: $(( ($(ticks) - before) * 1000 / $(getconf CLK_TCK) )) ms" \
          "(ingest, routing and delivery of the warm-up and measured events, and the latency phase)"
        echo "Herald peak RSS: $(awk '/VmHWM/ {print $2/1024 " MiB"}' /proc/$herald_pid/status)"
        for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; pids=()
      done
      ;;
    propagation)
      schema="herald_bench_$RANDOM"
      psql -h 127.0.0.1 -U postgres -d test -qc "CREATE SCHEMA $schema" >/dev/null
      store="$PG_URL&currentSchema=$schema"
      key=$(head -c 32 /dev/urandom | base64)
      start_herald a HERALD_STORE_URL="$store" HERALD_SECRET_KEY="$key"
      url_a=$URL
      start_herald b HERALD_STORE_URL="$store" HERALD_SECRET_KEY="$key" HERALD_KAFKA_BOOTSTRAP="$BOOTSTRAP"
      $BENCH dev.herald.bench.route.ConfigPropagationBench "$url_a" "$URL" "$CHANGES"
      for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; pids=()
      psql -h 127.0.0.1 -U postgres -d test -qc "DROP SCHEMA $schema CASCADE" >/dev/null 2>&1
      ;;
  esac
done
