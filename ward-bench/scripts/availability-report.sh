#!/usr/bin/env bash
# The availability report (GET /api/reports/availability's query) over a large fleet in the embedded
# PostgreSQL 17: roll-up rows and state changes made with generate_series (see AvailabilityBench's
# javadoc for what is generated), then the report timed per region and per device, over whole days
# and over [now - days, now). The data directory is kept in ward-bench/target/availability-bench, so a
# second run with the same device count reuses the rows (delete it to start afresh).
# Usage: ward-bench/scripts/availability-report.sh [devices=100000] [days=30] [rounds=5]
# BENCH_JAVA_OPTS passes system properties to the harness: -Dcompare=1 also times the read as before
# V9 on the same rows and checks both give the same rows; -Dexplain=1 (or =legacy, the read before V9;
# or =range, [now - days, now); or =device, whole days per device) prints EXPLAIN ANALYZE of the whole-days read.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cp_file="$(mktemp)"
./mvnw -B -ntp -q package dependency:build-classpath -pl ward-bench -am -DskipTests \
  -Dmdep.outputFile="$cp_file" >/dev/null
# shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of options
"$JAVA_HOME/bin/java" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${BENCH_JAVA_OPTS:-} \
  -cp "ward-bench/target/classes:$(cat "$cp_file")" \
  io.github.wardops.ward.bench.storage.AvailabilityBench ward-bench/target/availability-bench "$@" 2>&1 | grep -v '^\[' || true
rm -f "$cp_file"
