#!/usr/bin/env bash
# Makes the class-data archive of a jar, beside it (X.jsa for X.jar), the way `mvn package` makes
# target/cxone-routes.jsa (pom.xml, exec-maven-plugin): for a copy of the jar in an A/B run, since an
# archive fits only the jar file it was made for (its absolute path, size and time).
#
#   cp target/cxone-routes.jar /tmp/new.jar && bench/class-data-archive.sh /tmp/new.jar
#   java -XX:SharedArchiveFile=/tmp/new.jsa -XX:TieredStopAtLevel=1 -Xmx256m -jar /tmp/new.jar
set -euo pipefail
[ $# -eq 1 ] && [ -f "$1" ] || { echo "usage: bench/class-data-archive.sh JAR" >&2; exit 2; }
JAR=$(readlink -f "$1")
CLASSLIST="$(cd "$(dirname "$0")/.." && pwd)/src/main/cds/cxone-routes.classlist"
rm -f "${JAR%.jar}.jsa"
java -Xshare:dump -XX:SharedClassListFile="$CLASSLIST" -XX:SharedArchiveFile="${JAR%.jar}.jsa" -cp "$JAR" \
  >"${JAR%.jar}.jsa.log" 2>&1 || { tail -20 "${JAR%.jar}.jsa.log" >&2; exit 1; }
echo "${JAR%.jar}.jsa ($(du -h "${JAR%.jar}.jsa" | cut -f1)); log ${JAR%.jar}.jsa.log"
