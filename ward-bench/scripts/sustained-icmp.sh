#!/usr/bin/env bash
# Sustained-run benchmark: N loopback devices, default ICMP check (3 echoes) every INTERVAL, for
# DURATION. usage: ward-bench/scripts/sustained-icmp.sh [devices=10000] [interval=30s] [duration=5m] [heap=256m]
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -B -q -ntp compile dependency:build-classpath -pl ward-bench -am -Dmdep.outputFile="$PWD/ward-bench/target/bench.cp"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx"${4:-256m}" \
  -cp "ward-bench/target/classes:$(cat ward-bench/target/bench.cp)" \
  io.github.wardops.ward.bench.icmp.SustainedIcmpBench "${1:-10000}" "${2:-30s}" "${3:-5m}"
