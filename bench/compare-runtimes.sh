#!/usr/bin/env bash
# Start time, footprint and trivial-statement latency of each driver runtime, on this machine, one line after the
# other: per Spark line a gateway of its own (with that line's PySpark, which its drivers' Python needs), then
# StatementLatency, SessionFootprint and ColdStart with their sessions on that line, then the gateway stopped. Prints Markdown.
#
#   bench/compare-runtimes.sh SPARK35_HOME SPARK41_HOME [rounds, default 30] [sessions, default 3] [cold starts per kind, default 3]
#
# Each *_HOME holds python/pyspark of its line (a Spark home, or ../shared/pyspark's tarball unpacked). Build first
# (mvn -B -DskipTests package); run on a quiet machine only, and record its load average with the figures.
set -euo pipefail
usage="usage: $0 SPARK35_HOME SPARK41_HOME [rounds] [sessions] [cold starts]"
# Absolute before the cd below, so that homes relative to the caller's directory work.
SPARK35_HOME=$(realpath "${1:?$usage}")
SPARK41_HOME=$(realpath "${2:?$usage}")
cd "$(dirname "$0")/.."

ROUNDS=${3:-30}
SESSIONS=${4:-3}
STARTS=${5:-3}
PORT=18998
BENCH=(java -cp "bench/target/sparkgate-bench.jar:bench/target/lib/*")

gateway_pid=""
work=""
stop_gateway() {
  if [ -n "$gateway_pid" ]; then
    kill "$gateway_pid" 2> /dev/null || true
    wait "$gateway_pid" 2> /dev/null || true
    gateway_pid=""
  fi
  if [ -n "$work" ]; then
    rm -rf "$work"
    work=""
  fi
}
trap stop_gateway EXIT

for line in 3.5 4.1; do
  if [ "$line" = 3.5 ]; then home=$SPARK35_HOME; else home=$SPARK41_HOME; fi
  work=$(mktemp -d "${TMPDIR:-/tmp}/sparkgate-bench.XXXXXX")
  SPARKGATE_PORT=$PORT SPARKGATE_WORK_DIR="$work" SPARK_HOME="$home" \
    java -jar gateway/target/sparkgate-gateway.jar > "$work/gateway.log" 2>&1 &
  gateway_pid=$!
  for _ in $(seq 60); do
    curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null && break
    sleep 1
  done
  curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null || { cat "$work/gateway.log" >&2; exit 1; }
  echo "## Spark $line (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  echo
  "${BENCH[@]}" dev.sparkgate.bench.StatementLatency "http://127.0.0.1:$PORT" "$ROUNDS" "$line"
  echo
  "${BENCH[@]}" dev.sparkgate.bench.SessionFootprint "http://127.0.0.1:$PORT" "$SESSIONS" "$line"
  echo
  "${BENCH[@]}" dev.sparkgate.bench.ColdStart "http://127.0.0.1:$PORT" "$STARTS" "$line"
  echo
  stop_gateway
done
