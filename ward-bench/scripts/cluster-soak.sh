#!/usr/bin/env bash
# A cluster soak (issue 17): several runner jars on one PostgreSQL, runners killed (SIGKILL) or
# stopped (SIGTERM) at random and started again, then checked for gaps and duplicates in
# ping_results and for alerts and notifications that stayed right. Outside the test suite: the
# real run lasts hours (operators, release checks). See docs/benchmarks.md, "Cluster soak".
#
# It starts an embedded PostgreSQL 17 of its own (private temporary directory), writes a fleet of
# DEVICES loopback devices (127.50.0.0/16), makes a fraction of them DOWN with an nftables table
# (LoopbackOutages; needs root and nft, else no device is DOWN and it says so), starts RUNNERS
# runner jars (`ward run` with --db-url, each its own data dir, HTTP on 127.0.0.1:0, notify-log on,
# one alert rule "Ping Unavailable": status == down), acknowledges every other DOWN device's
# alert through a runner at random, and then for DURATION, at seeded random times about every
# RESTART_EVERY (0.5x to 1.5x), stops one runner (SIGKILL or SIGTERM, never more than one at a
# time) and starts it again, a third of the times after a pause of 1 to 4 intervals. A progress
# line every minute. At the end it checks:
#   gaps         per device, the longest stretch of the window without a ping_results row, against
#                2 x INTERVAL + 15 s + the take-over time (ClusterOptions' default take-over grace
#                + one tick: docs/cluster.md), printed;
#   duplicates   rows per device and interval (buckets of INTERVAL): device-intervals with 2+ rows,
#                how many outside handovers (from one interval before a stop to the bound after the
#                restart) and the worst; any outside a handover, or 3+ anywhere, fails;
#   alerts       one open alert per DOWN device and no other row for it (never closed and opened
#                again), none closed as "superseded%", none on a device that was never DOWN, no
#                ward_impaired (a runner judging its devices stale);
#   state        no device status change in the window (state_changes: the fleet does not change);
#   notifications one "alert opened" line per device and rule across every runner's logs, none
#                missing, no "alert resolved" for a device that stayed DOWN;
#   acks         every acknowledgement made at the start still there, on the still-open alert;
#   runners      none exited on its own, each started within 3 minutes.
# Exit code 0 when all hold, 1 when one does not (the summary says which), 2 for bad arguments or
# a harness failure. The summary (key=value lines) is written to a file whose path is printed.
#
# usage: ward-bench/scripts/cluster-soak.sh [options]
#   --runners N        runner processes, 2-16 (default 3)
#   --devices D        devices, 1-60000 (default 300)
#   --duration D       the window checked, after all runners own their shards (default 4h)
#   --restart-every D  the mean time between restarts (default 5m)
#   --interval D       the runners' --interval (default 10s)
#   --seed S           the seed of the restart schedule (default: random, printed)
#   --down-fraction F  the share of devices made DOWN, 0-0.5 (default 0.05)
#   --heap SIZE        -Xmx of each runner (default 256m)
#   --jar PATH         the runner jar (default ward-runner/target/ward-runner.jar, built first)
#   --summary FILE     where the summary goes (default ward-bench/target/cluster-soak-TIME.txt)
#   --keep             keep the work directory (logs, PostgreSQL's data) and print where it is
# D is a whole number of s, m or h (10s, 5m, 4h). Everything it starts is stopped on exit, Ctrl-C
# and failure: the runners, PostgreSQL, the nftables table; the work directory (mode 0700) is
# deleted unless --keep.
# needs: root or CAP_NET_RAW (the runners' raw ICMP), root and nft for DOWN devices, a JDK 25.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
jar=""
keep=0
summary="$PWD/ward-bench/target/cluster-soak-$(date -u +%Y%m%dT%H%M%SZ).txt"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runners|--devices|--duration|--restart-every|--interval|--seed|--down-fraction|--heap)
      [ $# -ge 2 ] || { echo "$1 needs a value (see --help)" >&2; exit 2; }
      args+=("$1" "$2"); shift 2 ;;
    --jar) [ $# -ge 2 ] || { echo "--jar needs a value" >&2; exit 2; }; jar="$(readlink -f "$2")"; shift 2 ;;
    --summary) [ $# -ge 2 ] || { echo "--summary needs a value" >&2; exit 2; }; summary="$(readlink -f "$2")"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

# each module writes its class path to its own target/ (a relative path is per module)
modules=ward-bench
if [ -z "$jar" ]; then
  modules=ward-runner,ward-bench
  jar="$PWD/ward-runner/target/ward-runner.jar"
fi
./mvnw -B -ntp -q package dependency:build-classpath -pl "$modules" -am -DskipTests \
  -Dmdep.outputFile=target/cluster-soak.classpath >/dev/null
[ -f "$jar" ] || { echo "no runner jar at $jar" >&2; exit 2; }
classpath="$PWD/ward-bench/target/classes:$(cat ward-bench/target/cluster-soak.classpath)"

work="$(mktemp -d)"   # mode 0700
chmod 0700 "$work"
soak=""
soak_pid=""
cleanup() {
  local p
  if [ -n "$soak" ] && kill -0 "$soak" 2>/dev/null; then
    kill -TERM "$soak" 2>/dev/null || true   # its shutdown hook kills the runners and stops PostgreSQL
    for _ in $(seq 1 30); do kill -0 "$soak" 2>/dev/null || break; sleep 1; done
    kill -KILL "$soak" 2>/dev/null || true
  fi
  # whatever outlived it (it was killed before its hook ran): by the ids it wrote down
  if [ -f "$work/pids" ]; then
    while read -r p; do
      if [ -n "$p" ] && grep -qa -e ward-runner -e postgres "/proc/$p/cmdline" 2>/dev/null; then
        kill -KILL "$p" 2>/dev/null || true
      fi
    done < "$work/pids"
  fi
  if [ -n "$soak_pid" ] && command -v nft >/dev/null; then
    for t in $(nft list tables 2>/dev/null | awk -v p="ward_outages_${soak_pid}_" '$1 == "table" && index($3, p) == 1 { print $3 }'); do
      nft delete table inet "$t" 2>/dev/null || true
    done
  fi
  if [ "$keep" = 1 ]; then
    echo "work directory kept: $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); runner jar $jar"
rc=0
"$JAVA_HOME/bin/java" -Xmx256m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$classpath" \
  io.github.wardops.ward.bench.cluster.ClusterSoak --work "$work" --jar "$jar" --summary "$summary" \
  ${args[@]+"${args[@]}"} &
soak=$!
soak_pid=$soak
wait "$soak" || rc=$?
soak=""
[ -f "$summary" ] && echo "summary: $summary"
exit "$rc"
