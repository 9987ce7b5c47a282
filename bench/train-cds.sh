#!/usr/bin/env bash
# Training run for a faster start: starts the packaged jar in live mode against the bench stub with
# every feature on, sends it handoffs, bridges and a drop file, stops it with SIGTERM, and leaves
# behind what the JVM recorded of it:
#   - on Java 24 or newer, an AOT cache (JEP 483/515): use it with -XX:AOTCache=ARCHIVE
#   - on older JDKs (17), a dynamic AppCDS archive: use it with -XX:SharedArchiveFile=ARCHIVE
# The archive is only valid for the same JDK and the same target/cxone-routes.jar (path, size and
# time stamp): train again after every build.
#
#   bench/train-cds.sh /tmp/app.jsa                                                    # Java 17
#   bench/train-cds.sh --java /usr/lib/jvm/temurin-25-jdk-amd64/bin/java /tmp/app.aot  # Java 25
#   bench/run.sh --quick --jvm-opts "-XX:SharedArchiveFile=/tmp/app.jsa"               # measure it
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA=java
SECONDS_OF_LOAD=20
while [ $# -gt 1 ]; do
  case "$1" in
    --java) JAVA=$2; shift 2 ;;
    --seconds) SECONDS_OF_LOAD=$2; shift 2 ;;
    *) echo "usage: bench/train-cds.sh [--java JAVA] [--seconds N] ARCHIVE" >&2; exit 2 ;;
  esac
done
[ $# -eq 1 ] || { echo "usage: bench/train-cds.sh [--java JAVA] [--seconds N] ARCHIVE" >&2; exit 2; }
# The service runs in a temporary working directory: the archive path must be absolute.
ARCHIVE=$(realpath -m "$1")
mkdir -p "$(dirname "$ARCHIVE")"
rm -f "$ARCHIVE"

VERSION=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ { print $2 }')
if [ "${VERSION%%.*}" -ge 24 ]; then
  RECORD="-XX:AOTCacheOutput=$ARCHIVE"
  USE="-XX:AOTCache=$ARCHIVE"
else
  RECORD="-XX:ArchiveClassesAtExit=$ARCHIVE"
  USE="-XX:SharedArchiveFile=$ARCHIVE"
fi

bench/run.sh --java "$JAVA" --jvm-opts "$RECORD" --train "$SECONDS_OF_LOAD"
[ -s "$ARCHIVE" ] || { echo "no archive was written; see the service log above" >&2; exit 1; }
echo "archive: $ARCHIVE ($(du -h "$ARCHIVE" | cut -f1)) for Java $VERSION"
echo "launch:  $JAVA $USE -jar $(realpath target/cxone-routes.jar)"
echo "bench:   bench/run.sh --java $JAVA --jvm-opts \"$USE\""
