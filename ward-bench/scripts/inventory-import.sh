#!/usr/bin/env bash
# `ward import` of a large inventory into the embedded PostgreSQL 17: wall time of the whole command
# (JVM start, embedded server start, reading and validating, writing in one transaction) and the
# write alone, as the command reports it. No packet is sent: importing only writes the devices table.
# Usage: ward-bench/scripts/inventory-import.sh [devices=87500] [rounds=3] [other-ward-runner.jar]
#   The optional jar (for example one built from an older commit) is measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
devices="${1:-87500}"
rounds="${2:-3}"
other="${3:-}"
./mvnw -B -ntp -q package -pl ward-runner -am -DskipTests >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
csv="$work/fleet-$devices.csv"
# Addresses in 127.64.0.0/10; UUIDs made from the row number; labels like the real fleet's.
awk -v n="$devices" 'BEGIN {
  print "id,name,address,device_type,region,branch,snmp_version,enabled";
  split("Router,Switch,ATM,Paybox,NVR,Access Point", types, ",");
  split("Tbilisi,Imereti,Achara,Kakheti,Samegrelo", regions, ",");
  for (i = 0; i < n; i++) {
    printf "%08x-0000-4000-8000-%012x,device-%d,127.%d.%d.%d,%s,%s,Branch %d,%s,true\n", i, i, i,
      64 + int(i / 65025) % 64, int(i / 255) % 255, i % 255 + 1, types[i % 6 + 1], regions[i % 5 + 1], i % 700,
      (i % 2 ? "2c" : "");
  }
}' > "$csv"
echo "inventory: $devices devices, $(du -h "$csv" | cut -f1) of CSV"
measure() {
  local label="$1" jar="$2"
  for r in $(seq 1 "$rounds"); do
    local data="$work/data-$label-$r"
    local start end out
    start=$(date +%s.%N)
    out=$("$JAVA_HOME/bin/java" -jar "$jar" import --data-dir "$data" "$csv" 2>/dev/null | tail -1)
    end=$(date +%s.%N)
    printf '%-8s round %d: wall %6.2f s; %s\n' "$label" "$r" "$(echo "$end - $start" | bc)" "$out"
    rm -rf "$data"
  done
}
measure ward ward-runner/target/ward-runner.jar
if [ -n "$other" ]; then
  measure other "$other"
fi
