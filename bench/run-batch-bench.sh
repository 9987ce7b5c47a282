#!/usr/bin/env bash
# Drop-folder benchmark (run by hand, never by mvn verify). Generates a file of LINES bridge
# commands, starts the packaged jar as the README does (-XX:TieredStopAtLevel=1 -Xmx256m) with
# BATCH_CONCURRENCY against a stub CXone that answers bridges in STUB_DELAY_MS, drops the file and
# reports lines/s and the JVM's peak RSS. SERVICE_JAVA_OPTS="-XX:TieredStopAtLevel=4": both JITs.
#
#   mvn -B -q package -DskipTests
#   bench/run-batch-bench.sh 100000          # LINES; env: CONCURRENCY (default: the service's own,
#                                            # BATCH_CONCURRENCY's default) STUB_DELAY_MS=20 HEAP=256m
#   SAMPLE=1 bench/run-batch-bench.sh 20000  # also a line per second: results, service CPU, the JIT
#                                            # compiler threads' and GC threads' CPU
#   WEBHOOKS=1 bench/run-batch-bench.sh 20000 # CTI webhooks on, to a receiver in the stub, as bench/run.sh runs it
#   JAR=/tmp/a.jar bench/run-batch-bench.sh  # another build's jar (A/B runs)
#   JFR=1 bench/run-batch-bench.sh 20000     # also a JFR profile (settings=profile) of the file's run;
#                                            # JFR_SETTINGS=my.jfc for other settings (on JDK 25, with
#                                            # jdk.CPUTimeSample enabled: CPU-time samples of every thread)
set -euo pipefail
cd "$(dirname "$0")/.."

LINES=${1:-100000}
CONCURRENCY=${CONCURRENCY:-}
STUB_DELAY_MS=${STUB_DELAY_MS:-20}
HEAP=${HEAP:-256m}
STUB_PORT=${STUB_PORT:-18480}
HTTP_PORT=${BENCH_HTTP_PORT:-18481}
WORK=$(mktemp -d /tmp/cxone-batch-bench.XXXXXX)
FILE=bench-${LINES}.jsonl

JAR=${JAR:-target/cxone-routes.jar} # another build's jar, for A/B runs
[ -f "$JAR" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }

cleanup() {
  [ -n "${SERVICE_PID:-}" ] && kill "$SERVICE_PID" 2>/dev/null || true
  [ -n "${STUB_PID:-}" ] && kill "$STUB_PID" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

echo "generating $LINES lines in $WORK"
mkdir -p "$WORK/data/inbox/bridge"
awk -v n="$LINES" 'BEGIN { for (i = 1; i <= n; i++)
  printf "{\"callId\":\"bench-%d\",\"targets\":[{\"type\":\"phone\",\"value\":\"+1555%07d\"}],\"direction\":\"transfer\"}\n", i, i }' \
  > "$WORK/$FILE"

WEBHOOK_PORT=0
if [ -n "${WEBHOOKS:-}" ]; then
  WEBHOOK_PORT=$((HTTP_PORT + 3))
  export CTI_WEBHOOK_URLS=http://127.0.0.1:$WEBHOOK_PORT/webhook
  export CTI_WEBHOOK_SECRET=whsec_YmVuY2gtd2ViaG9vay1zZWNyZXQtMzItYnl0ZXMhIQ==
fi
# The stub warms itself up (STUB_WARMUP seconds, on ports of its own) before it listens: the file's
# first seconds measure the service, not the stub's JIT.
java -Dsun.net.httpserver.nodelay=true -Dstub.warmup="${STUB_WARMUP:-5}" bench/CxoneStubServer.java "$STUB_PORT" "$STUB_DELAY_MS" "$WEBHOOK_PORT" > "$WORK/stub.log" 2>&1 &
STUB_PID=$!
until grep -q "CXone stub on" "$WORK/stub.log" 2>/dev/null; do
  kill -0 "$STUB_PID" 2>/dev/null || { echo "stub did not start; see $WORK/stub.log" >&2; exit 1; }
  sleep 0.2
done

if [ -n "$CONCURRENCY" ]; then export BATCH_CONCURRENCY=$CONCURRENCY; fi
# Launched as the README does: with the class-data archive mvn package makes beside the jar, if any.
ARCHIVE="${JAR%.jar}.jsa"
if [ -f "$ARCHIVE" ]; then ARCHIVE_OPT="-XX:SharedArchiveFile=$ARCHIVE"; else ARCHIVE_OPT=""; fi
CXONE_BASE_URL=http://127.0.0.1:$STUB_PORT CXONE_CLIENT_ID=bench CXONE_CLIENT_SECRET=bench-secret \
API_KEYS=bench-key DATA_DIR="$WORK/data" HTTP_PORT=$HTTP_PORT \
MANAGEMENT_PORT=$((HTTP_PORT + 1)) JMS_EMBEDDED_PORT=$((HTTP_PORT + 2)) \
  java $ARCHIVE_OPT -XX:TieredStopAtLevel=1 -Xmx"$HEAP" ${SERVICE_JAVA_OPTS:-} -jar "$JAR" > "$WORK/service.log" 2>&1 &
SERVICE_PID=$!

for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$((HTTP_PORT + 1))/observe/health/ready" > /dev/null 2>&1 && break
  sleep 1
done
curl -sf "http://127.0.0.1:$((HTTP_PORT + 1))/observe/health/ready" > /dev/null || { echo "service did not start; see $WORK/service.log" >&2; exit 1; }

echo "dropping $FILE (stub delay ${STUB_DELAY_MS} ms, BATCH_CONCURRENCY=${CONCURRENCY:-default}, -Xmx$HEAP, webhooks ${WEBHOOKS:+on})"
# CPU seconds of the service's threads whose name matches the extended regex $1.
thread_cpu() {
  local pattern=$1 total=0 line comm rest
  for stat in /proc/"$SERVICE_PID"/task/*/stat; do
    read -r line < "$stat" 2>/dev/null || continue
    comm=${line#*(}
    comm=${comm%%) *}
    [[ $comm =~ $pattern ]] || continue
    rest=${line##*) }
    set -- $rest
    total=$((total + ${12} + ${13}))
  done
  awk -v t="$total" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }'
}
JIT_THREADS='^C[12] Compiler'
GC_THREADS='^(GC Thread|G1 )'
# A line per second: elapsed s, results so far, service CPU s, JIT compiler CPU s, GC CPU s, and
# BATCH_PROGRESS_LOG_INTERVAL=1s adds the adaptive limit each second to service.log.
sample_loop() {
  local results="$WORK/data/outbox/bridge/$FILE.results.jsonl" t0
  t0=$(date +%s.%N)
  printf "%6s %8s %8s %8s %8s\n" "t_s" "results" "cpu_s" "jit_s" "gc_s" > "$WORK/samples.txt"
  while sleep 1; do
    local n=0
    [ -f "$results" ] && n=$(wc -l < "$results")
    printf "%6.1f %8d %8s %8s %8s\n" "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')" \
      "$n" "$(cpu_seconds)" "$(thread_cpu "$JIT_THREADS")" "$(thread_cpu "$GC_THREADS")" >> "$WORK/samples.txt"
  done
}
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/${1:-$SERVICE_PID}/stat"; }
# Of that, the kernel's part (system time): sockets and files.
system_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", $15 / hz }' "/proc/${1:-$SERVICE_PID}/stat"; }
CPU_AT_DROP=$(cpu_seconds)
SYSTEM_AT_DROP=$(system_seconds)
STUB_CPU_AT_DROP=$(cpu_seconds "$STUB_PID")
JIT_AT_DROP=$(thread_cpu "$JIT_THREADS")
if [ -n "${JFR:-}" ]; then
  jcmd "$SERVICE_PID" JFR.start name=batch settings="${JFR_SETTINGS:-profile}" filename="$WORK/batch.jfr" > /dev/null
fi
START=$(date +%s.%N)
mv "$WORK/$FILE" "$WORK/data/inbox/bridge/$FILE"
if [ -n "${SAMPLE:-}" ]; then
  sample_loop &
  SAMPLER_PID=$!
fi
until [ -f "$WORK/data/processed/bridge/$FILE" ]; do
  kill -0 "$SERVICE_PID" 2>/dev/null || { echo "service died; see $WORK/service.log" >&2; exit 1; }
  sleep 0.1
done
END=$(date +%s.%N)
if [ -n "${SAMPLER_PID:-}" ]; then kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; fi
if [ -n "${JFR:-}" ]; then
  jcmd "$SERVICE_PID" JFR.stop name=batch > /dev/null
  echo "JFR profile: $WORK/batch.jfr"
fi

RESULTS=$(wc -l < "$WORK/data/outbox/bridge/$FILE.results.jsonl")
SUCCEEDED=$(grep -c '"status":"success"' "$WORK/data/outbox/bridge/$FILE.results.jsonl" || true)
BRIDGES=$(curl -s "http://127.0.0.1:$STUB_PORT/count")
PEAK_RSS=$(awk '/VmHWM/ { print $2 " " $3 }' "/proc/$SERVICE_PID/status")
# CPU the service used for the file (user + system, start-up excluded): a figure the other load on
# a shared machine distorts less than lines/s.
CPU_SECONDS=$(awk -v a="$CPU_AT_DROP" -v b="$(cpu_seconds)" 'BEGIN { printf "%.1f", b - a }')
SYSTEM_SECONDS=$(awk -v a="$SYSTEM_AT_DROP" -v b="$(system_seconds)" 'BEGIN { printf "%.1f", b - a }')
# The stub shares the machine's cores: what it uses is not the service's cost, but not the service's either.
STUB_CPU_SECONDS=$(awk -v a="$STUB_CPU_AT_DROP" -v b="$(cpu_seconds "$STUB_PID")" 'BEGIN { printf "%.1f", b - a }')
BATCHES=$(curl -s -H 'X-API-Key: bench-key' "http://127.0.0.1:$HTTP_PORT/api/v1/batches")
echo "batches: $BATCHES"
echo "stub: $(curl -s "http://127.0.0.1:$STUB_PORT/stats")"
# From the drop to the service opening the file (the file consumer's poll and its read lock).
OPENED=$(date -d "$(grep -o '"started_at":"[^"]*"' <<< "$BATCHES" | head -1 | cut -d'"' -f4)" +%s.%N)
awk -v s="$START" -v o="$OPENED" 'BEGIN { printf "drop to file opened: %.2f s\n", o - s }'
awk -v s="$START" -v e="$END" -v n="$RESULTS" -v ok="$SUCCEEDED" -v b="$BRIDGES" -v rss="$PEAK_RSS" -v cpu="$CPU_SECONDS" -v sys="$SYSTEM_SECONDS" -v stub="$STUB_CPU_SECONDS" 'BEGIN {
  printf "lines: %d results, %d succeeded, %d bridge requests at the stub\n", n, ok, b
  printf "wall time (drop to processed/): %.1f s => %.0f lines/s\n", e - s, n / (e - s)
  printf "peak RSS (VmHWM): %s\n", rss
  printf "service CPU: %s s (%.2f ms per line; %s s of it in the kernel)\n", cpu, cpu * 1000 / n, sys
  printf "stub CPU: %s s (%.2f ms per line)\n", stub, stub * 1000 / n }'
if [ -f "$WORK/samples.txt" ]; then cat "$WORK/samples.txt"; fi
awk -v a="$JIT_AT_DROP" -v b="$(thread_cpu "$JIT_THREADS")" -v cpu="$CPU_SECONDS" 'BEGIN {
  printf "of which JIT compiler threads: %.1f s (%.0f %%)\n", b - a, (cpu > 0 ? 100 * (b - a) / cpu : 0) }'
echo "logs and data: $WORK"
