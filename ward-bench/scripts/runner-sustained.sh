#!/usr/bin/env bash
# The runner, sustained: `ward run` as users run it (the jar, -XX:+ExitOnOutOfMemoryError, the
# embedded PostgreSQL, the bundled alert rules, the in-process cache, every other setting at its
# default) polling N loopback devices (127.64.0.0/10) every INTERVAL, for DURATION per size.
# For each size it prints the machine once, then one key=value line and one markdown table row
# (docs/benchmarks.md, "The runner, sustained"):
#   heap after a full GC (jcmd GC.run, then GC.heap_info) and per device; the JVM's own
#   jvm_gc_live_data_size_bytes before that GC; the JVM's RSS at the end and its peak (VmHWM);
#   the embedded PostgreSQL's processes apart (sum of RSS, which counts shared buffers once per
#   process, and PSS); CPU in cores of the JVM over the window and over its last sample interval
#   (cpu_last_cores: the steady state, once the JIT and the heap have settled), and of PostgreSQL
#   (/proc/PID/stat); schedule lag
#   p50/p95/p99/max (the worst and the last of the /metrics samples: Micrometer's quantiles decay
#   over 2 minutes, so one sample a minute sees every probe) and the share of the window's probe
#   starts more than 50 ms and 1 s late (late_50ms_pct <= 1 means the window's p99 is at most
#   50 ms; from the counter ward_schedule_late_total); overruns and missed slots; probes,
#   ping_results rows and ICMP timeouts per second; results dropped by the sink or the spool; WARN
#   and ERROR log lines; and whether the process survived (exit code, OutOfMemoryError).
# The window measured starts when every device has a result (the end of the first full cycle),
# so JVM and PostgreSQL start-up are left out, and lasts DURATION.
#
# usage: ward-bench/scripts/runner-sustained.sh [options] [DEVICES ...] [-- RUNNER-FLAGS ...]
#   DEVICES            device counts, one run each (default: 10000 100000 200000; with --soak: 100000)
#   --heap SIZE        -Xmx of the runner (default 256m; env HEAP)
#   --interval D       --interval of the runner (default 30s; env INTERVAL)
#   --duration D       the window measured per size (default 10m; env DURATION)
#   --sample D         how often /metrics, RSS (and in a soak the heap) are sampled (default 60s; env SAMPLE)
#   --soak D           a soak: one window of D per size that also forces a full GC at every sample
#                      and reports the least-squares slope of the heap after GC in MB/hour with its
#                      first and last value (the forced GCs add pauses to the lag it reports)
#   --jar FILE         the runner jar (default ward-runner/target/ward-runner.jar, built first)
#   --no-build         use the jar as it is
#   --jvm FLAG         an extra JVM flag for the runner, e.g. --jvm -Xlog:gc:file=/tmp/gc.log (repeatable)
#   -- FLAGS           appended to `ward run` (e.g. -- --icmp-pps 20000); the defaults otherwise
# D is a whole number of s, m or h (30s, 10m, 1h). WARD_* variables of the environment are not
# passed on, and the runner runs in a temporary directory (no ./ward.yaml), so the runner sees
# defaults only. Temporary files (inventory, data-dir with PostgreSQL's data, logs) live under
# $TMPDIR (mode 0700) and are removed on exit; the runner is stopped on exit.
# needs: root or CAP_NET_RAW (raw ICMP, as in icmp-sweep.sh), curl, a JDK 25 (jcmd).
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
heap="${HEAP:-256m}"
interval="${INTERVAL:-30s}"
duration="${DURATION:-10m}"
sample="${SAMPLE:-60s}"
soak=""
jar="$root/ward-runner/target/ward-runner.jar"
build=1
sizes=()
extra=()
jvmflags=()
while [ $# -gt 0 ]; do
  case "$1" in
    --heap) heap="$2"; shift 2 ;;
    --interval) interval="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --sample) sample="$2"; shift 2 ;;
    --soak) soak="$2"; shift 2 ;;
    --jar) jar="$(readlink -f "$2")"; build=0; shift 2 ;;
    --no-build) build=0; shift ;;
    --jvm) jvmflags+=("$2"); shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    [0-9]*) sizes+=("$1"); shift ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

secs() { # 30s, 10m, 1h -> seconds
  case "$1" in
    *[0-9]s) echo "${1%s}" ;;
    *[0-9]m) echo $(( ${1%m} * 60 )) ;;
    *[0-9]h) echo $(( ${1%h} * 3600 )) ;;
    *) echo "not a duration (a whole number of s, m or h): $1" >&2; return 2 ;;
  esac
}
interval_s=$(secs "$interval")
window_s=$(secs "${soak:-$duration}")
sample_s=$(secs "$sample")
if [ ${#sizes[@]} -eq 0 ]; then
  if [ -n "$soak" ]; then sizes=(100000); else sizes=(10000 100000 200000); fi
fi
for n in "${sizes[@]}"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] && [ "$n" -le 4000000 ] || { echo "device count out of range (1..4000000): $n" >&2; exit 2; }
done
command -v curl >/dev/null || { echo "curl is missing" >&2; exit 2; }
[ -x "$JAVA_HOME/bin/jcmd" ] || { echo "no jcmd in $JAVA_HOME/bin: set JAVA_HOME to a JDK 25" >&2; exit 2; }
if [ "$build" = 1 ]; then
  ./mvnw -B -ntp -q package -pl ward-runner -am -DskipTests >/dev/null
fi
[ -f "$jar" ] || { echo "no runner jar at $jar" >&2; exit 2; }
tck=$(getconf CLK_TCK)

work="$(mktemp -d)"   # mode 0700
chmod 0700 "$work"
runner=""
pg_pids=""
stop_runner() { # SIGTERM, up to 60 s to close (it stops its PostgreSQL), then SIGKILL; sets stop_rc
  stop_rc=""
  [ -n "$runner" ] || return 0
  if kill -0 "$runner" 2>/dev/null; then
    kill -TERM "$runner" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$runner" 2>/dev/null || break; sleep 1; done
    kill -0 "$runner" 2>/dev/null && kill -KILL "$runner" 2>/dev/null || true
  fi
  stop_rc=0
  wait "$runner" 2>/dev/null || stop_rc=$?
  runner=""
  # the embedded PostgreSQL's processes seen during the run, if any outlived the runner
  for p in $pg_pids; do
    if grep -qa -e postgres -e ward-watchdog "/proc/$p/cmdline" 2>/dev/null; then kill -KILL "$p" 2>/dev/null || true; fi
  done
  pg_pids=""
}
trap 'stop_runner; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

descendants() { # every process under PID, PID itself left out
  ps -e -o pid=,ppid= | awk -v root="$1" '
    { parent[$1] = $2; pids[++n] = $1 }
    END { want[root] = 1; changed = 1
          while (changed) { changed = 0
            for (i = 1; i <= n; i++) { p = pids[i]; if (!(p in want) && (parent[p] in want)) { want[p] = 1; changed = 1 } } }
          for (p in want) if (p != root) print p }'
}
ticks() { # utime+stime of PID [+ cutime+cstime when $2=all]
  local s
  s=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
  s="${s##*) }"   # the fields after the command name, from field 3 (state)
  echo "$s" | awk -v all="${2:-}" '{ t = $12 + $13; if (all == "all") t += $14 + $15; print t }'
}
status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null || true; }
pss_kb() { awk '$1 == "Pss:" { print $2 }' "/proc/$1/smaps_rollup" 2>/dev/null || true; }
pg_usage() { # sets pg_t (ticks), pg_rss, pg_pss (KB): summed over the runner's children (the embedded PostgreSQL)
  local p
  pg_t=0; pg_rss=0; pg_pss=0
  for p in $(descendants "$runner"); do
    case " $pg_pids " in *" $p "*) ;; *) pg_pids="$pg_pids $p" ;; esac
    pg_t=$(( pg_t + $(ticks "$p" all) ))
    pg_rss=$(( pg_rss + $(status_kb "$p" VmRSS) + 0 ))
    pg_pss=$(( pg_pss + $(pss_kb "$p") + 0 ))
  done
}
scrape() { # /metrics into FILE; a busy runner may be slow, so retry a few times
  local i
  for i in 1 2 3; do
    curl -sf --max-time 30 "http://127.0.0.1:$port/metrics" -o "$1" && return 0
    sleep 2
  done
  return 1
}
msum() { # FILE NAME [LABEL=VALUE ...]: the sum of the samples of a metric whose labels hold every filter
  local f="$1" name="$2"; shift 2
  awk -v name="$name" -v filters="$*" '
    BEGIN { nf = split(filters, want, " ") }
    /^#/ { next }
    { key = $0; sub(/[ \t][^ \t]+$/, "", key); base = key; sub(/\{.*/, "", base); if (base != name) next
      for (i = 1; i <= nf; i++) if (index(key, want[i]) == 0) next
      s += $NF }
    END { printf "%.17g\n", s + 0 }' "$f"
}
heap_after_gc_kb() { # forces a full GC, then the heap used, in KB
  "$JAVA_HOME/bin/jcmd" "$runner" GC.run >/dev/null 2>&1 || { echo ""; return; }
  "$JAVA_HOME/bin/jcmd" "$runner" GC.heap_info 2>/dev/null | awk '/used [0-9]+K/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K.*/, "", v); print v; exit } }'
}
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"$1\\n\", ($2) }"; }   # FORMAT EXPRESSION
commas() { awk -v x="$1" 'BEGIN { s = sprintf("%.0f", x); r = ""; while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) }; print s r }'; }

jdk=$("$JAVA_HOME/bin/java" -version 2>&1 | awk -F'"' '/version/ { print $2; exit }')
vendor=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.vendor = / { print $2; exit }')
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB, $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME"), Linux $(uname -r), JDK $jdk ($vendor); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "runner: $jar, -Xmx$heap, every $interval, window ${soak:-$duration}${soak:+ (soak)}, samples every $sample${extra[*]:+, extra flags: ${extra[*]}}${jvmflags[*]:+, JVM flags: ${jvmflags[*]}}"

failed=0
rows=()
for n in "${sizes[@]}"; do
  run="$work/n$n"
  mkdir -m 0700 "$run" "$run/data"
  awk -v n="$n" 'BEGIN {
    print "id,name,address";   # 250 addresses per /24 in 127.64.0.0/10, never .0 or .255
    for (i = 0; i < n; i++) printf "%08x-0000-4000-8000-%012x,bench-%d,127.%d.%d.%d\n", i, i, i, 64 + int(i / 62500), int((i % 62500) / 250), i % 250 + 1;
  }' > "$run/inventory.csv"
  clean_env=()
  while IFS= read -r v; do clean_env+=(-u "$v"); done < <(compgen -e | grep '^WARD_' || true)
  # from its own directory, so that no ./ward.yaml is read
  (cd "$run" && exec env "${clean_env[@]}" "$JAVA_HOME/bin/java" -XX:+ExitOnOutOfMemoryError -Xmx"$heap" ${jvmflags[@]+"${jvmflags[@]}"} -jar "$jar" run \
      --inventory "$run/inventory.csv" --interval "$interval" --data-dir "$run/data" --http 127.0.0.1:0 "${extra[@]}") \
      > "$run/runner.log" 2>&1 &
  runner=$!
  started=$(now)
  port=""
  alive=yes
  for _ in $(seq 1 900); do   # start-up: unpack and start PostgreSQL, upsert the inventory
    port=$(sed -n 's|.*HTTP on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$run/runner.log" | head -1)
    [ -n "$port" ] && { http_s=$(calc %.0f "$(now) - $started"); break; }
    kill -0 "$runner" 2>/dev/null || { alive=no; break; }
    sleep 1
  done
  warm=""
  if [ "$alive" = yes ] && [ -n "$port" ]; then
    # the first full cycle: every device has a result
    deadline=$(calc %d "$(now) + 5 * $interval_s + 120")
    while kill -0 "$runner" 2>/dev/null; do
      if scrape "$run/m" && [ "$(calc %d "$(msum "$run/m" ward_probes_total) >= $n")" = 1 ]; then warm=ok; break; fi
      if [ "$(calc %d "$(now) >= $deadline")" = 1 ]; then warm=timeout; break; fi
      sleep 5
    done
    kill -0 "$runner" 2>/dev/null || alive=no
  else
    alive=no
  fi
  if [ "$alive" = yes ]; then
    warmup_s=$(calc %.0f "$(now) - $started")
    cp "$run/m" "$run/m0"
    t0=$(now); cpu0=$(ticks "$runner"); pg_usage; pgcpu0=$pg_t
    : > "$run/lag"; : > "$run/heap"
    end=$(calc %.3f "$t0 + $window_s")
    pt=$t0; pc=$cpu0; lt=$t0; lc=$cpu0   # the last sample interval, for cpu_last_cores
    scrape_failures=0
    while :; do
      left=$(calc %d "$end - $(now)")
      [ "$left" -gt 0 ] || break
      sleep $(( left < sample_s ? left : sample_s ))
      kill -0 "$runner" 2>/dev/null || { alive=no; break; }
      pt=$lt; pc=$lc; lt=$(now); lc=$(ticks "$runner")
      if scrape "$run/m"; then
        echo "$(msum "$run/m" ward_schedule_lag_seconds 'quantile="0.5"') $(msum "$run/m" ward_schedule_lag_seconds 'quantile="0.95"') $(msum "$run/m" ward_schedule_lag_seconds 'quantile="0.99"') $(msum "$run/m" ward_schedule_lag_seconds_max)" >> "$run/lag"
      else
        scrape_failures=$(( scrape_failures + 1 ))
      fi
      pg_usage   # notes new PostgreSQL processes, to stop them should the runner not
      if [ -n "$soak" ]; then
        h=$(heap_after_gc_kb)
        [ -n "$h" ] && echo "$(calc %.6f "($(now) - $t0) / 3600") $(calc %.1f "$h / 1024")" >> "$run/heap"
      fi
    done
  fi
  if [ "$alive" = yes ] && kill -0 "$runner" 2>/dev/null && scrape "$run/m"; then
    t1=$(now); cpu1=$(ticks "$runner"); pg_usage; pgcpu1=$pg_t pgrss=$pg_rss pgpss=$pg_pss
    rss=$(status_kb "$runner" VmRSS); hwm=$(status_kb "$runner" VmHWM)
    for name in ward_probes_total ward_schedule_lag_seconds ward_schedule_late_total ward_schedule_missed_total ward_storage_rows_written_total jvm_gc_live_data_size_bytes; do
      # a renamed meter would read 0 here; say so (ward_probes_skipped_total appears with the first overrun only)
      grep -q "^$name[{ ]" "$run/m" || echo "warning: the runner's /metrics has no $name; its figures below read 0" >&2
    done
    live=$(msum "$run/m" jvm_gc_live_data_size_bytes)
    heapkb=$(heap_after_gc_kb)
    win=$(calc %.3f "$t1 - $t0")
    d() { calc %.17g "$(msum "$run/m" "$@") - $(msum "$run/m0" "$@")"; }
    probes=$(d ward_probes_total); rows_w=$(d ward_storage_rows_written_total 'table="ping_results"')
    overruns=$(d ward_probes_skipped_total 'reason="overrun"'); missed=$(d ward_schedule_missed_total)
    timeouts=$(d ward_icmp_timeouts_total)
    # the share of probe starts over the window that were late: the window's own p99 is at most
    # 50 ms when late_50ms_pct <= 1 (the quantiles above are per sample, over the last 2 minutes)
    starts=$(d ward_schedule_lag_seconds_count)
    latepct() { [ "$(calc %d "$starts > 0")" = 1 ] && calc %.3f "100 * $(d ward_schedule_late_total "over=\"$1\"") / $starts" || echo "-"; }
    dropped=$(calc %.0f "$(d ward_sink_dropped_total) + $(d ward_storage_spool_dropped_total)")
    spooled=$(d ward_storage_batches_total 'outcome="spooled"')
    lagq() { awk -v c="$1" -v how="$2" '{ v = $c * 1000; if (how == "last" || v > w) w = v } END { printf "%.2f", w }' "$run/lag"; }
    [ -s "$run/lag" ] || echo "$(msum "$run/m" ward_schedule_lag_seconds 'quantile="0.5"') $(msum "$run/m" ward_schedule_lag_seconds 'quantile="0.95"') $(msum "$run/m" ward_schedule_lag_seconds 'quantile="0.99"') $(msum "$run/m" ward_schedule_lag_seconds_max)" >> "$run/lag"
    heap_mb=$( [ -n "$heapkb" ] && calc %.1f "$heapkb / 1024" || echo "-")
    per_kb=$( [ -n "$heapkb" ] && calc %.2f "$heapkb / $n" || echo "-")
    cores=$(calc %.3f "($cpu1 - $cpu0) / $tck / $win")
    cores_last=$( [ "$(calc %d "($lt - $pt) * 1000")" -gt 0 ] && calc %.3f "($lc - $pc) / $tck / ($lt - $pt)" || echo "-")
    pgcores=$(calc %.3f "($pgcpu1 - $pgcpu0) / $tck / $win")
    pps=$(calc %.0f "$probes / $win"); rps=$(calc %.0f "$rows_w / $win"); tps=$(calc %.1f "$timeouts / $win")
    warns=$(grep -c ' WARN ' "$run/runner.log" || true); errors=$(grep -c ' ERROR ' "$run/runner.log" || true)
    stop_runner
    echo "n=$n heap=$heap interval=$interval window_s=$(calc %.0f "$win") http_s=$http_s warmup_s=$warmup_s warmup=$warm" \
      "heap_after_gc_mb=$heap_mb heap_per_device_kb=$per_kb jvm_live_data_mb=$(calc %.1f "$live / 1048576")" \
      "rss_mb=$(( rss / 1024 )) rss_peak_mb=$(( hwm / 1024 )) pg_rss_mb=$(( pgrss / 1024 )) pg_pss_mb=$(( pgpss / 1024 ))" \
      "cpu_cores=$cores cpu_last_cores=$cores_last pg_cpu_cores=$pgcores" \
      "lag_p50_ms=$(lagq 1 worst) lag_p95_ms=$(lagq 2 worst) lag_p99_ms=$(lagq 3 worst) lag_max_ms=$(lagq 4 worst)" \
      "lag_last_p50_ms=$(lagq 1 last) lag_last_p95_ms=$(lagq 2 last) lag_last_p99_ms=$(lagq 3 last) lag_samples=$(wc -l < "$run/lag")" \
      "late_50ms_pct=$(latepct 50ms) late_1s_pct=$(latepct 1s)" \
      "overruns=$(calc %.0f "$overruns") missed=$(calc %.0f "$missed") probes_per_s=$pps rows_per_s=$rps" \
      "icmp_timeouts_per_s=$tps dropped=$dropped spooled_batches=$(calc %.0f "$spooled") scrape_failures=$scrape_failures" \
      "log_warn=$warns log_error=$errors survived=yes stop_exit=$stop_rc"
    row="| $(commas "$n") | $heap | $heap_mb MB ($per_kb KB) | $(( rss / 1024 )) / $(( hwm / 1024 )) MB | $(( pgpss / 1024 )) MB | $cores ($pgcores) | $(lagq 1 worst) / $(lagq 2 worst) / $(lagq 3 worst) ms | $(calc %.0f "$overruns") | $(commas "$pps") | $(commas "$rps") | yes |"
    rows+=("$row")
    echo "$row"
    if [ -n "$soak" ] && [ -s "$run/heap" ]; then
      awk -v n="$n" '{ x[NR] = $1; y[NR] = $2; sx += $1; sy += $2; sxx += $1 * $1; sxy += $1 * $2 }
        END { d = NR * sxx - sx * sx; slope = d > 0 ? (NR * sxy - sx * sy) / d : 0
              printf "soak n=%d samples=%d span_min=%.1f heap_after_gc_first_mb=%.1f heap_after_gc_last_mb=%.1f heap_after_gc_min_mb=%.1f heap_after_gc_max_mb=%.1f slope_mb_per_h=%.2f\n",
                     n, NR, (x[NR] - x[1]) * 60, y[1], y[NR], min(y), max(y), slope }
        function min(a,  i, m) { m = a[1]; for (i in a) if (a[i] < m) m = a[i]; return m }
        function max(a,  i, m) { m = a[1]; for (i in a) if (a[i] > m) m = a[i]; return m }' "$run/heap"
      echo "soak samples (minute of the window:MB after GC): $(awk '{ printf "%s%.1f:%s", (NR > 1 ? " " : ""), $1 * 60, $2 }' "$run/heap")"
    fi
  else
    # died (or never answered): how, and the end of its log
    stop_runner
    oom=$(grep -c 'OutOfMemoryError' "$run/runner.log" || true)
    echo "n=$n heap=$heap interval=$interval survived=no exit=${stop_rc:-?} oom=$([ "$oom" -gt 0 ] && echo yes || echo no) warmup=${warm:-none}"
    echo "--- the end of the runner's log:"
    tail -20 "$run/runner.log" | cut -c1-300
    row="| $(commas "$n") | $heap | - | - | - | - | - | - | - | - | **no** (exit ${stop_rc:-?}$([ "$oom" -gt 0 ] && echo ", OutOfMemoryError")) |"
    rows+=("$row")
    echo "$row"
    failed=1
  fi
  rm -rf "$run"
done
echo
echo "| devices | -Xmx | heap after GC (per device) | JVM RSS end / peak | PostgreSQL PSS | CPU cores: JVM (PostgreSQL) | schedule lag p50 / p95 / p99, worst sample | overruns | probes/s | rows/s | survived |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
exit "$failed"
