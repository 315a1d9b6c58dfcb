#!/usr/bin/env bash
# Ingest throughput of ward-postgres into the embedded PostgreSQL 17 (COPY vs multi-row INSERT,
# ping_results and interface_samples) and disk bytes per device per day.
# Usage: ward-bench/scripts/storage-ingest.sh [rows=200000] [batch=1000] [devices=200] [rounds=3]
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cp_file="$(mktemp)"
./mvnw -B -ntp -q package dependency:build-classpath -pl ward-bench -am -DskipTests \
  -Dmdep.outputFile="$cp_file" >/dev/null
"$JAVA_HOME/bin/java" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "ward-bench/target/classes:$(cat "$cp_file")" \
  io.github.wardops.ward.bench.storage.StorageIngestBenchmark "$@" 2>&1 | grep -v '^\[' || true
rm -f "$cp_file"
