#!/usr/bin/env bash
# Start-to-ready of the packaged jar, launched as the README does (`java
# -XX:SharedArchiveFile=target/cxone-routes.jsa -XX:TieredStopAtLevel=1 -Xmx256m -jar
# target/cxone-routes.jar`: the archive flag only when the jar has its class-data archive beside
# it, X.jsa for X.jar, so an older build without one runs as it was launched then), in sandbox
# mode (no CXONE_BASE_URL) or live mode against bench/CxoneStubServer (as bench/run.sh starts it).
# Each launch: wall time from exec to the first 200 of /observe/health/ready (polled every 20 ms),
# CPU-seconds the JVM used until then (utime+stime from /proc), classes loaded (and how many of them
# came from class-data archives, the JDK's own or the jar's), and the time of the first handoff answer after ready. Launches alternate
# between the jars given (A B A B ...), so machine noise hits each alike; the medians are printed at
# the end. An archive fits the jar it was made for at that path only: for a copied jar, make one
# with bench/class-data-archive.sh COPY.jar.
#
#   bench/start-time.sh [--mode sandbox|live] [--runs N] [--jvm-opts "..."] [jar ...]
#
# Run it under the shared lock on a shared machine: flock /work/bench.lock bench/start-time.sh ...
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=sandbox RUNS=3 JVM_OPTS=""
JARS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --mode) MODE=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --jvm-opts) JVM_OPTS=$2; shift 2 ;;
    *) JARS+=("$(readlink -f "$1")"); shift ;;
  esac
done
[ ${#JARS[@]} -gt 0 ] || JARS=("$(readlink -f target/cxone-routes.jar)")

WORK=$(mktemp -d /tmp/cxone-start.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 1; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now_ns() { date +%s%N; }
cpu_s() { awk -v t="$(getconf CLK_TCK)" '{print ($14+$15)/t}' "/proc/$1/stat"; }

STUB_URL=""
if [ "$MODE" = live ]; then
  javac -nowarn -d "$WORK/classes" bench/CxoneStubServer.java
  STUB_PORT=$(free_port)
  java -XX:+UseSerialGC -cp "$WORK/classes" CxoneStubServer "$STUB_PORT" 0 "$(free_port)" >"$WORK/stub.log" 2>&1 &
  PIDS+=($!)
  until curl -fs "http://127.0.0.1:$STUB_PORT/stats" >/dev/null; do sleep 0.1; done
  STUB_URL="http://127.0.0.1:$STUB_PORT"
fi

BODY='{"dtmf_sequence":"12#","voice_history":{"queue_name":"billing","duration":42},"caller_id":"+15551234567"}'
RESULTS="$WORK/results.txt"
for run in $(seq 1 "$RUNS"); do
  for i in "${!JARS[@]}"; do
    jar=${JARS[$i]}
    dir="$WORK/run-$run-$i"
    mkdir -p "$dir"
    cp application.properties "$dir/"
    cp -r routes sandbox "$dir/"
    http=$(free_port) mgmt=$(free_port) jms=$(free_port)
    env_live=()
    if [ "$MODE" = live ]; then
      env_live=(CXONE_BASE_URL="$STUB_URL" CXONE_CLIENT_ID=bench CXONE_CLIENT_SECRET=bench-secret API_KEYS=bench-key
        CTI_WEBHOOK_URLS="$STUB_URL/webhook" CTI_WEBHOOK_SECRET=whsec_YmVuY2gtd2ViaG9vay1zZWNyZXQtMzItYnl0ZXMhIQ==)
    fi
    archive=()
    [ ! -f "${jar%.jar}.jsa" ] || archive=(-XX:SharedArchiveFile="${jar%.jar}.jsa")
    t0=$(now_ns)
    # shellcheck disable=SC2086
    (cd "$dir" && exec env HTTP_PORT="$http" MANAGEMENT_PORT="$mgmt" JMS_EMBEDDED_PORT="$jms" DATA_DIR="$dir/data" \
      "${env_live[@]}" java "${archive[@]}" -XX:TieredStopAtLevel=1 -Xmx256m $JVM_OPTS -jar "$jar" >"$dir/service.log" 2>&1) &
    pid=$!
    PIDS+=("$pid")
    until curl -fs -o /dev/null "http://127.0.0.1:$mgmt/observe/health/ready"; do
      kill -0 "$pid" 2>/dev/null || { echo "service exited: $dir/service.log" >&2; tail -20 "$dir/service.log" >&2; exit 1; }
      sleep 0.02
    done
    t1=$(now_ns)
    cpu=$(cpu_s "$pid")
    code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$http/api/v1/ivr/handoff" \
      -H 'Content-Type: application/json' -H 'X-API-Key: bench-key' -d "$BODY")
    t2=$(now_ns)
    cpu_answer=$(cpu_s "$pid")
    classes=$(jcmd "$pid" PerfCounter.print 2>/dev/null | awk -F= '/java.cls.loadedClasses=/{a=$2} /java.cls.sharedLoadedClasses=/{s=$2} END{printf "%d classes (%d from CDS archives)", a+s, s}')
    kill "$pid"; wait "$pid" 2>/dev/null || true
    ready=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", (b-a)/1e9}')
    first=$(awk -v a="$t1" -v b="$t2" 'BEGIN{printf "%.3f", (b-a)/1e9}')
    printf '%s run %d: ready %s s, CPU-s to ready %.2f, first answer %s s after ready (HTTP %s, CPU-s %.2f), %s%s\n' \
      "$(basename "$(dirname "$(dirname "$jar")")")/$(basename "$jar")#$i" "$run" "$ready" "$cpu" "$first" "$code" "$cpu_answer" "$classes" "${archive:+, $archive}"
    echo "$i $ready $cpu $first" >>"$RESULTS"
  done
done

echo "medians ($MODE mode, $RUNS runs each, java [-XX:SharedArchiveFile=JAR.jsa] -XX:TieredStopAtLevel=1 -Xmx256m $JVM_OPTS -jar JAR):"
for i in "${!JARS[@]}"; do
  med() { awk -v i="$i" -v c="$1" '$1==i{print $c}' "$RESULTS" | sort -n | awk '{a[NR]=$1} END{print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
  printf '  #%d %s: ready %s s, CPU-s to ready %s, first answer %s s after ready\n' "$i" "${JARS[$i]}" "$(med 2)" "$(med 3)" "$(med 4)"
done
