#!/usr/bin/env bash
# Redis memory per cached device, and a dashboard getAll of every device, against a local
# redis-server started by the harness. usage: ward-bench/scripts/cache-memory.sh [devices=10000] [interfaces=8]
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -B -q -ntp compile dependency:build-classpath -pl ward-bench -am -Dmdep.outputFile="$PWD/ward-bench/target/bench.cp"
exec "$JAVA_HOME/bin/java" -Xmx256m -cp "ward-bench/target/classes:$(cat ward-bench/target/bench.cp)" \
  io.github.wardops.ward.bench.cache.RedisMemoryPerDevice "${1:-10000}" "${2:-8}"
