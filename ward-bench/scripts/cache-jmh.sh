#!/usr/bin/env bash
# JMH benchmarks of the two-tier cache (L1 hit, L2 hit, miss with load; 1 and 4 threads) against a
# local redis-server that the benchmark starts. Extra arguments go to JMH (default: short run).
# usage: ward-bench/scripts/cache-jmh.sh [jmh options]
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -B -q -ntp compile dependency:build-classpath -pl ward-bench -am -Dmdep.outputFile="$PWD/ward-bench/target/bench.cp"
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(-f 1 -wi 3 -w 1s -i 5 -r 1s)
exec "$JAVA_HOME/bin/java" -cp "ward-bench/target/classes:$(cat ward-bench/target/bench.cp)" \
  org.openjdk.jmh.Main 'io.github.wardops.ward.bench.cache.TieredCacheBench' "${args[@]}"
