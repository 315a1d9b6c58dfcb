#!/usr/bin/env bash
# ICMP sweep benchmark: ward's `sweep` and fping on the same loopback addresses, in the same
# run, one echo each. Prints one line per tool and size: elapsed, CPU seconds, peak RSS, and
# how many addresses answered.
#
# usage: ward-bench/scripts/icmp-sweep.sh [SIZE ...]      (default: 10000 60000 100000)
# needs: a built runner (./mvnw -q -DskipTests package; run through ./ward), fping, /usr/bin/time, root or
#        CAP_NET_RAW (both tools use raw sockets here).
set -euo pipefail
cd "$(dirname "$0")/../.."
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
JAR=ward-runner/target/ward-runner.jar
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 60000 100000)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
# The launcher makes its AOT cache on the first run of a jar (in the background): do that run
# now and wait for the cache, so the rounds below measure ward as users run it from then on.
./ward sweep 127.0.0.1 > /dev/null 2>&1 || true
for _ in $(seq 60); do ls "${XDG_CACHE_HOME:-$HOME/.cache}"/ward/aot/*.aot > /dev/null 2>&1 && break; sleep 1; done

gen() { # N addresses in 127.64.0.0/10, 250 per /24, never .0 or .255
  awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "127.%d.%d.%d\n", 64 + int(i / 62500), int((i % 62500) / 250), i % 250 + 1 }'
}

measure() { # label, then the command; prints elapsed, cpu, rss from /usr/bin/time
  local label=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" > "$work/out" 2> "$work/err" || true
  read -r elapsed user sys rss < <(tail -1 "$work/time")
  echo "$label elapsed_s=$elapsed cpu_s=$(echo "$user + $sys" | bc) peak_rss_mb=$((rss / 1024))"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r); fping $(fping -v 2>&1 | head -1 | awk '{print $NF}')"
for n in "${sizes[@]}"; do
  gen "$n" > "$work/targets"
  # ward: one process, every address, through the launcher as users run it (with its AOT cache).
  measure "ward  n=$n" ./ward sweep --count 1 --pps 200000 --timeout-ms 2000 "$work/targets"
  ward_ok=$(grep -c 'xmt/rcv/%loss = 1/1/' "$work/err" "$work/out" | awk -F: '{s += $2} END {print s}')
  echo "      answered=$ward_ok/$n  $(grep -h 'targets' "$work/out" "$work/err" | tail -1)"
  # fping 5.1 handles at most 65,535 targets per process: split, run the parts in parallel.
  split -l 50000 -d "$work/targets" "$work/part."
  cat > "$work/fping.sh" <<SH
#!/bin/sh
for f in $work/part.*; do fping -c1 -q -i 0 -t 2000 -f "\$f" 2> "\$f.out" & done
wait
SH
  chmod +x "$work/fping.sh"
  measure "fping n=$n" "$work/fping.sh"
  fping_ok=$(cat "$work"/part.*.out | grep -c 'xmt/rcv/%loss = 1/1/' || true)
  echo "      answered=$fping_ok/$n"
  rm -f "$work"/part.*
done
