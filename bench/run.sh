#!/usr/bin/env bash
# The handoff benchmark (bench/README.md): the stub hit directly, a bare pass-through and
# cxone-routes with every feature on, then a drop file in -Xmx256m. Prints a table, writes
# bench/results/<timestamp>.json. Run by hand, never by mvn verify or CI.
#
#   mvn -B -q package -DskipTests
#   bench/run.sh                      # full run, about 8 minutes
#   bench/run.sh --quick              # 5 s / 20 s phases, about 2.5 minutes: a smoke test
#   bench/run.sh --java /usr/lib/jvm/temurin-25-jdk-amd64/bin/java --jvm-opts "-XX:AOTCache=app.aot"
#
# Every option: bench/README.md. The stub, the pass-through and the load generator run on the
# `java` on PATH; --java and --jvm-opts apply to the service only.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -f target/cxone-routes.jar ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 1; }

CLASSES=$(mktemp -d /tmp/cxone-bench-classes.XXXXXX)
trap 'rm -rf "$CLASSES"' EXIT
javac -nowarn -d "$CLASSES" bench/Bench.java bench/CxoneStubServer.java bench/PassThrough.java

# The load generator shares the machine with what it measures: keep its own footprint small.
java -XX:+UseSerialGC -Xmx512m \
  -Dbench.classes="$CLASSES" \
  -Dbench.commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  -cp "$CLASSES" Bench "$@"
