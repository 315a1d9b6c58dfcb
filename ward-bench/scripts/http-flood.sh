#!/usr/bin/env bash
# HTTP flood against a polling runner: does probing keep its schedule while the HTTP port is flooded?
# Starts `ward run` (storage off, -Xmx256m) polling N loopback devices (127.70.0.0/16) every INTERVAL,
# lets it settle for one minute, then runs two phases of SECONDS each through http-flood.py: quiet,
# then flood (wrk -t2 -cCONNECTIONS GET /api/devices, 200 slowloris connections, 50 slow bodies),
# and prints skipped checks (overruns), missed slots, schedule lag, /health and the HTTP meters of
# each. All traffic goes to 127.0.0.0/8. Needs wrk (apt-get install -y wrk) and python3.
# usage: ward-bench/scripts/http-flood.sh [devices=2000] [interval=10s] [seconds=180] [connections=256] [other-ward-runner.jar]
#   The optional jar (for example one built from an older commit) is measured the same way after this one.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
devices="${1:-2000}"
interval="${2:-10s}"
seconds="${3:-180}"
connections="${4:-256}"
other="${5:-}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
./mvnw -B -ntp -q package -pl ward-runner -am -DskipTests >/dev/null
work="$(mktemp -d)"
runner=""
trap '[ -n "$runner" ] && kill "$runner" 2>/dev/null; rm -rf "$work"' EXIT
csv="$work/fleet.csv"
awk -v n="$devices" 'BEGIN {
  print "id,name,address";
  for (i = 0; i < n; i++) printf "%08x-0000-4000-8000-%012x,flood-%d,127.70.%d.%d\n", i, i, i, int(i / 250), i % 250 + 1;
}' > "$csv"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $devices devices every $interval"

measure() {
  local label="$1" jar="$2"
  echo "== $label: $jar"
  WARD_STORAGE=off "$JAVA_HOME/bin/java" -Xmx256m -jar "$jar" run --inventory "$csv" --interval "$interval" \
    --http "127.0.0.1:$port" > "$work/$label.log" 2>&1 &
  runner=$!
  for _ in $(seq 1 60); do
    curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
    sleep 1
  done
  sleep 60   # every device probed a few times; the JIT warm
  python3 ward-bench/scripts/http-flood.py "$port" "$seconds" quiet
  python3 ward-bench/scripts/http-flood.py "$port" "$seconds" flood "$connections"
  echo "  cycle lines with overruns during the run: $(grep -c 'overruns [1-9]' "$work/$label.log" || true)"
  kill "$runner"
  wait "$runner" 2>/dev/null || true
  runner=""
}
measure ward ward-runner/target/ward-runner.jar
if [ -n "$other" ]; then
  measure other "$other"
fi
