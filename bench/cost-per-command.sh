#!/usr/bin/env bash
# Where a command's CPU goes in scale-out mode (docs/benchmarks.md, "Scale-out: commands through
# JetStream"): one engine and one gateway on their own nats-server and redis-server, the commands
# workload at RATE (default 2000) commands/s, a 20 s warm-up (so the JIT has settled), then 20 s
# measured. Reads every thread's CPU time and context switches from /proc before and after the
# measured run and prints them per thread group, with the totals per command for the gateway, the
# engine and nats-server; the load generator's own CPU per command is in the JSON it writes.
#   RATE=2000 bench/cost-per-command.sh > bench/results/<date>-jetstream/cost-per-command.txt
source "$(dirname "${BASH_SOURCE[0]}")/runbooks/lib.sh"
rate="${RATE:-2000}"
out="$work/results"; mkdir -p "$out"; events="$out/events.log"
# thread name (trailing digits of the name folded, never the figures) -> CPU ticks (10 ms) and context switches, summed over the group
snap() {
  for t in /proc/"$1"/task/*; do
    printf '%s\t%s\t%s\n' "$(cat "$t/comm")" "$(sed 's/.*) //' "$t/stat" | awk '{print $12 + $13}')" \
      "$(awk '/ctxt_switches/ {s += $2} END {print s}' "$t/status")"
  done | sed -E 's/^([^\t]*[^0-9\t])[0-9]+\t/\1#\t/' | awk -F'\t' '{c[$1] += $2; s[$1] += $3} END {for (k in c) print k "\t" c[k] "\t" s[k]}' | sort
}
diffsnap() { # before after commands label
  echo "== $4: CPU ms and context switches during the measured run, by thread group"
  join -t$'\t' "$1" "$2" | awk -F'\t' '{d = ($4 - $2) * 10; s = $5 - $3; if (d > 0 || s > 1000) print d "\t" s "\t" $1}' | sort -rn | head -12
  join -t$'\t' "$1" "$2" | awk -F'\t' -v n="$3" -v l="$4" '{d += ($4 - $2) * 10; s += $5 - $3}
    END {printf "%s total: %.0f us CPU and %.1f context switches per command\n", l, d * 1000 / n, s / n}'
}
proc_snap() { printf '%s %s\n' "$(awk '{print $14 + $15}' "/proc/$1/stat")" "$(cat /proc/"$1"/task/*/status | awk '/ctxt_switches/ {s += $2} END {print s}')"; }

start_nats; start_redis
launch engine engine-1; e1=$last_pid; e1_out=$last_out
launch gateway gateway-1; g1=$last_pid; g1_out=$last_out
await_ready "$e1" "$e1_out"; await_ready "$g1" "$g1_out"
ws1="$(listener ws "$g1_out")"
loadgen run --driver websocket --url "$ws1" --token-secret "$secret" --workloads commands --command-rates "$rate" \
  --warmup 20s --duration 2s --out "$out/warm" >/dev/null 2>&1
snap "$g1" >"$out/g0"; snap "$e1" >"$out/e0"; n0="$(proc_snap "$nats_pid")"; gp0="$(proc_snap "$g1")"; ep0="$(proc_snap "$e1")"
loadgen run --driver websocket --url "$ws1" --token-secret "$secret" --workloads commands --command-rates "$rate" \
  --warmup 0s --duration 20s --out "$out/measured" >/dev/null 2>&1
snap "$g1" >"$out/g1"; snap "$e1" >"$out/e1"; n1="$(proc_snap "$nats_pid")"; gp1="$(proc_snap "$g1")"; ep1="$(proc_snap "$e1")"
commands=$((rate * 20))
echo "rate $rate commands/s for 20 s ($commands commands); load average $(cut -d' ' -f1-3 /proc/loadavg)"
diffsnap "$out/g0" "$out/g1" "$commands" gateway
diffsnap "$out/e0" "$out/e1" "$commands" engine
# Whole processes (threads that ended during the run count here, not in the groups above).
for p in "gateway $gp0 $gp1" "engine $ep0 $ep1" "nats-server $n0 $n1"; do
  echo "$p" | awk -v n="$commands" '{printf "%s process: %.0f us CPU and %.1f context switches per command\n", $1, ($4 - $2) * 10000 / n, ($5 - $3) / n}'
done
python3 - "$out/measured" <<'PY'
import glob, json, sys
for f in glob.glob(sys.argv[1] + "/commands-*.json"):
    g = json.load(open(f))["figures"]
    print("load generator: %s us CPU per command; acked %s of %s, p50 %s ms, p99 %s ms, missing %s"
          % (g.get("client_cpu_us_per_command"), g["acked"], g["commands"], g["latency_p50_ms"], g["latency_p99_ms"], g["missing"]))
PY
