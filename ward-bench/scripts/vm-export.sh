#!/usr/bin/env bash
# VictoriaMetrics export throughput: starts /usr/bin/victoria-metrics on a loopback port with a
# temporary data directory, pushes ICMP results of DEVICES devices for ROUNDS rounds through the
# VictoriaMetrics sink, prints samples/s, checks the count stored, and stops the server.
# usage: ward-bench/scripts/vm-export.sh [devices=875] [rounds=200] [port=18428]
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
devices="${1:-875}" rounds="${2:-200}" port="${3:-18428}"
data="$(mktemp -d)"
/usr/bin/victoria-metrics -httpListenAddr="127.0.0.1:$port" -storageDataPath="$data" -loggerLevel=WARN \
  -search.disableCache >"$data.log" 2>&1 &
vm=$!
trap 'kill "$vm" 2>/dev/null; wait "$vm" 2>/dev/null; rm -rf "$data" "$data.log"' EXIT
for _ in $(seq 1 200); do curl -fs "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
./mvnw -B -q -ntp compile dependency:build-classpath -pl ward-bench -am -Dmdep.outputFile="$PWD/ward-bench/target/bench.cp"
"$JAVA_HOME/bin/java" -Xmx256m -cp "ward-bench/target/classes:$(cat ward-bench/target/bench.cp)" \
  io.github.wardops.ward.bench.export.VictoriaMetricsExportBench "http://127.0.0.1:$port" "$devices" "$rounds"
curl -fs "http://127.0.0.1:$port/internal/force_flush" >/dev/null
echo "stored: $(curl -fs "http://127.0.0.1:$port/api/v1/series/count")"
