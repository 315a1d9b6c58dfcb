#!/usr/bin/env bash
# VictoriaMetrics export of SNMP results, ward's series alone and with the replaced system's
# compatibility series (vm-compat: v1): starts /usr/bin/victoria-metrics on a loopback port with a
# temporary data directory, polls DEVICES simulated routers of INTERFACES interfaces twice, pushes
# those results ROUNDS times through a sink of each mode (twice each, alternating), prints
# samples/s and CPU per sample, and stops the server.
# usage: ward-bench/scripts/vm-export-snmp.sh [devices=200] [interfaces=48] [rounds=30] [port=18429]
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
devices="${1:-200}" interfaces="${2:-48}" rounds="${3:-30}" port="${4:-18429}"
data="$(mktemp -d)"
/usr/bin/victoria-metrics -httpListenAddr="127.0.0.1:$port" -storageDataPath="$data" -loggerLevel=WARN \
  -search.disableCache >"$data.log" 2>&1 &
vm=$!
trap 'kill "$vm" 2>/dev/null; wait "$vm" 2>/dev/null; rm -rf "$data" "$data.log"' EXIT
for _ in $(seq 1 200); do curl -fs "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
./mvnw -B -q -ntp package dependency:build-classpath -pl ward-bench -am -DskipTests -Dmdep.outputFile="$PWD/ward-bench/target/bench.cp"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx512m -cp "ward-bench/target/classes:$(cat ward-bench/target/bench.cp)" \
  io.github.wardops.ward.bench.export.SnmpExportBench "http://127.0.0.1:$port" "$devices" "$interfaces" "$rounds"
curl -fs "http://127.0.0.1:$port/internal/force_flush" >/dev/null
echo "stored: $(curl -fs "http://127.0.0.1:$port/api/v1/series/count")"
