#!/usr/bin/env bash
# Disk and ingest of SNMP results through the PostgreSQL sink (48 interfaces per device, 60 s).
# usage: ward-bench/scripts/snmp-storage.sh [devices=10] [polls=1440] [batch=100] [mode=COPY]
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -B -q -ntp compile dependency:build-classpath -pl ward-bench -am -Dmdep.outputFile="$PWD/ward-bench/target/bench.cp"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "ward-bench/target/classes:$(cat ward-bench/target/bench.cp)" \
  io.github.wardops.ward.bench.storage.SnmpStorageBench "${1:-10}" "${2:-1440}" "${3:-100}" "${4:-COPY}"
