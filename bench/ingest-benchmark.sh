#!/usr/bin/env bash
# Runs the ingest benchmark (bench/IngestBenchmark.java) against the service jar; see docs/benchmarks.md.
#   bench/ingest-benchmark.sh [--quick] [--lines=3000000] [--runs=3] ...   (--help lists the options)
# JAR=path overrides the service jar (default target/active-defense.jar, built here if missing);
# BENCH_JAVA_OPTS overrides the benchmark client's own JVM options (it holds the generated lines in memory).
set -euo pipefail

cd "$(dirname "$0")/.."
JAR="${JAR:-target/active-defense.jar}"

if [[ ! -f "$JAR" ]]; then
    echo "building $JAR (mvn -q -B package -DskipTests)" >&2
    mvn -q -B package -DskipTests
fi
if [[ ! -f "$JAR" ]]; then
    echo "error: $JAR not found after the build" >&2
    exit 2
fi

# The client keeps every generated line twice (syslog text and COPY rows): about 1.6 KB per line.
exec java ${BENCH_JAVA_OPTS:--Xms1g -Xmx8g -XX:+UseParallelGC} -cp "$JAR" bench/IngestBenchmark.java --jar="$JAR" "$@"
