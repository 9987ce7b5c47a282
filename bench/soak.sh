#!/usr/bin/env bash
# The soak of issue 10 item 5 (bench/README.md, "Soak"): the packaged service in live mode against
# the bench's stub CXone (10 % 429s, 5 % 5xx), a webhook receiver failing 20 % of deliveries, and
# mixed HTTP, JMS and drop-file traffic; then it checks that no audit event or webhook delivery was
# lost or duplicated and that heap after GC, threads and open files stayed flat. Prints a table,
# writes bench/results/soak-<timestamp>.json, exits 1 when a guarantee failed. Run by hand, never by
# mvn verify or CI.
#
#   mvn -B -q package -DskipTests
#   bench/soak.sh                 # 10 minutes of load, then the drain: about 12 minutes
#   bench/soak.sh --minutes 3     # a shorter run
#
# Every option: bench/README.md. Needs only the JDK (java, javac, jcmd) and the built jar, which
# also carries the JMS client the load generator uses.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -f target/cxone-routes.jar ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 2; }
command -v jcmd >/dev/null || { echo "jcmd not found: the soak needs a full JDK on PATH" >&2; exit 2; }

CLASSES=$(mktemp -d /tmp/cxone-soak-classes.XXXXXX)
trap 'rm -rf "$CLASSES"' EXIT
javac -nowarn -cp target/cxone-routes.jar -d "$CLASSES" bench/Soak.java bench/Bench.java bench/CxoneStubServer.java

# Artemis' client logs through the jar's Log4j: keep it to warnings on the console.
java -XX:+UseSerialGC -Xmx512m \
  -Dlog4j2.level=WARN \
  -Dbench.classes="$CLASSES" \
  -Dbench.commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  -cp "$CLASSES:target/cxone-routes.jar" Soak "$@"
