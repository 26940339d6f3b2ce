#!/usr/bin/env bash
# Commands through NATS JetStream to an engine and out to subscribers (docs/benchmarks.md, section
# "Scale-out: commands through JetStream").
#
#   bench/run-jetstream.sh [--small] [--jfr] [--configs 1-engine,2-engines,peer] [loadgen run options...]
#
# Starts its own nats-server (JetStream, a temporary store directory, a free loopback port) and its
# own redis-server (no persistence, a free port), so the machine's shared ones are not touched.
# Then, for each configuration, on a fresh NATS store and an empty Redis:
#   1-engine    one `playconnect run --roles engine` and one `--roles gateway` process
#   2-engines   two engine processes (they share the 16 partitions through leases) and one gateway
#   peer        no PlayConnect: plain JetStream publishes to a file-storage stream whose RePublish
#               feeds core-NATS subscribers (loadgen --driver jetstream), same rooms, rates and sizes
# and steps the offered command rate (--command-rates, default 1000,2000,3000,5000,7000,10000):
# per step a warm-up, then --duration measured; p99 from each command's due time to its delivery
# at every subscriber of its room, and whether anything was lost. Higher rates are skipped once a
# step's p99 passed --command-stop-ms (200) or it lost anything.
# Results: bench/results/<date>-jetstream/ (OUT= to change): a JSON per step and configuration,
# charts, summary.txt (the table, the machine, load averages, each process's CPU time, the
# partition split), and with --jfr a profile summary per PlayConnect process
# (<config>-<role>-profile.txt; the profiler costs CPU: take figures from a run without --jfr).
#
# Environment: OUT, SERVER_JAR (default playconnect-server/target/playconnect.jar; copied first),
# LOADGEN_JAR (a copy of loadgen.jar to use as it is; by default playconnect-bench/target/loadgen.jar,
# rebuilt when older than its sources),
# NATS_SERVER (default /usr/sbin/nats-server), REDIS_SERVER (default redis-server), ENGINE_HEAP
# (512m), GATEWAY_HEAP (1g).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$root"

small=false
jfr=false
configs="1-engine,2-engines,peer"
passthrough=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --small) small=true; shift ;;
    --jfr) jfr=true; shift ;;
    --configs) configs="$2"; shift 2 ;;
    *) passthrough+=("$1"); shift ;;
  esac
done
if $small; then
  passthrough=(--command-rates 500,1000 --command-rooms 20 --command-publishers 4 --warmup 2s --duration 4s
               "${passthrough[@]}")
else
  [[ " ${passthrough[*]-} " == *" --duration "* ]] || passthrough+=(--duration 15s)
  [[ " ${passthrough[*]-} " == *" --warmup "* ]] || passthrough+=(--warmup 5s)
fi
[[ " ${passthrough[*]-} " == *" --step-timeout "* ]] || passthrough+=(--step-timeout 60s)

out="${OUT:-bench/results/$(date +%F)-jetstream}"
server_jar="${SERVER_JAR:-playconnect-server/target/playconnect.jar}"
nats_bin="${NATS_SERVER:-/usr/sbin/nats-server}"
redis_bin="${REDIS_SERVER:-redis-server}"
engine_heap="${ENGINE_HEAP:-512m}"
gateway_heap="${GATEWAY_HEAP:-1g}"
secret="bench-token-secret-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
jar="${LOADGEN_JAR:-playconnect-bench/target/loadgen.jar}"
work="$(mktemp -d /tmp/pc-bench-js.XXXXXX)"
mkdir -p "$out"

log() { echo "bench: $*" >&2; }
# shellcheck source=bench/lib/common.sh
source bench/lib/common.sh

ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"

ensure_loadgen_jar "$jar"
ensure_server_jar "$server_jar"
[[ -x "$nats_bin" ]] || { log "no nats-server at $nats_bin (Debian: apt-get install nats-server)"; exit 1; }
command -v "$redis_bin" >/dev/null || { log "no $redis_bin (Debian: apt-get install redis-server)"; exit 1; }
cp "$server_jar" "$work/playconnect.jar"
cp "$jar" "$work/loadgen.jar"
server_build="$(date -r "$server_jar" '+%F %T')"

# Every process this script started, so that the exit trap stops exactly those.
pids=()
cleanup() {
  for p in "${pids[@]-}"; do [[ -n "$p" ]] && kill "$p" 2>/dev/null || true; done
  sleep 1
  for p in "${pids[@]-}"; do [[ -n "$p" ]] && kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# CPU seconds (user + system) of a live process.
cpu_seconds() { awk '{printf "%.1f", ($14 + $15) / 100}' "/proc/$1/stat" 2>/dev/null || echo "?"; }

start_services() {
  nats_port="$(free_port)"
  rm -rf "$work/nats"
  "$nats_bin" -a 127.0.0.1 -p "$nats_port" -js -sd "$work/nats" >"$work/nats.log" 2>&1 &
  nats_pid=$!; pids+=("$nats_pid")
  redis_port="$(free_port)"
  "$redis_bin" --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no >"$work/redis.log" 2>&1 &
  redis_pid=$!; pids+=("$redis_pid")
  await_port "$nats_port" nats-server
  await_port "$redis_port" redis-server
}

starts=0
launch_playconnect() { # role, heap, label; sets last_pid, last_out (does not wait)
  local role="$1" heap="$2" label="$3" extra=()
  starts=$((starts + 1))
  last_out="$work/$label-$starts.out"
  if [[ "$role" == gateway ]]; then
    extra=(--max-connections 100000 --max-connections-per-ip 100000 --connections-per-second-per-ip 100000
           --messages-per-second 100000 --message-burst 100000)
  fi
  java "-Xms$heap" "-Xmx$heap" -XX:+UseG1GC -XX:+AlwaysPreTouch -jar "$work/playconnect.jar" run --roles "$role" \
    --broker "nats://127.0.0.1:$nats_port" --store "redis://127.0.0.1:$redis_port" --partitions 16 \
    --http-port 0 --mqtt-port 0 --grpc-port 0 --token-secret "$secret" "${extra[@]}" \
    >"$last_out" 2>"$last_out.err" &
  last_pid=$!; pids+=("$last_pid")
}

owned() { # http url of an engine
  curl -s "$1/metrics" | awk '/^playconnect_engine_partitions_owned/ {print int($2)}'
}

loadgen() { java -Xms1g -Xmx1g -jar "$work/loadgen.jar" "$@"; }

notes="$work/notes.txt"
: >"$notes"

run_playconnect() { # config label, engines
  local label="$1" engines="$2" engine_pids=() engine_urls=() gw_pid ws_url i split=""
  start_services
  local outs=()
  # Engines start together so that the first one up does not take every partition alone.
  for i in $(seq 1 "$engines"); do
    launch_playconnect engine "$engine_heap" "$label-engine$i"
    engine_pids+=("$last_pid"); outs+=("$last_out")
  done
  for i in "${!engine_pids[@]}"; do
    await_ready "${engine_pids[$i]}" "${outs[$i]}"
    engine_urls+=("$(awk '$1 == "http" {print $2}' "${outs[$i]}")")
  done
  launch_playconnect gateway "$gateway_heap" "$label-gateway"
  gw_pid="$last_pid"
  await_ready "$gw_pid" "$last_out"
  ws_url="$(awk '$1 == "ws" {print $2}' "$last_out")"
  # Engines balance at their lease rounds; wait (bounded) until every engine owns its share.
  for _ in $(seq 1 60); do
    split=""
    for u in "${engine_urls[@]}"; do split+="$(owned "$u") "; done
    [[ "$engines" == 1 || ! " $split " =~ " 0 " ]] && break
    sleep 0.5
  done
  log "== $label: partitions owned per engine: $split"
  local profile=()
  if $jfr; then
    for p in "${engine_pids[@]}" "$gw_pid"; do jcmd "$p" JFR.start name=bench settings=profile >/dev/null 2>&1 || true; done
  fi
  echo "$label: load average before: $(cut -d' ' -f1-3 /proc/loadavg); partitions owned per engine: $split" >>"$notes"
  loadgen run --driver websocket --url "$ws_url" --token-secret "$secret" --workloads commands \
    --server-label "playconnect-$label" --server-pid "$gw_pid" --out "$out" "${passthrough[@]}" >/dev/null
  {
    echo "$label: load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "$label: CPU seconds over the run: gateway $(cpu_seconds "$gw_pid"), engines$(for p in "${engine_pids[@]}"; do printf ' %s' "$(cpu_seconds "$p")"; done), nats-server $(cpu_seconds "$nats_pid"), redis $(cpu_seconds "$redis_pid")"
  } >>"$notes"
  if $jfr; then
    local n=0
    for p in "${engine_pids[@]}"; do
      n=$((n + 1))
      jcmd "$p" JFR.dump name=bench filename="$work/$label-engine$n.jfr" >/dev/null 2>&1 || true
      loadgen jfr-summary "$work/$label-engine$n.jfr" >"$out/$label-engine$n-profile.txt" 2>&1 || true
    done
    jcmd "$gw_pid" JFR.dump name=bench filename="$work/$label-gateway.jfr" >/dev/null 2>&1 || true
    loadgen jfr-summary "$work/$label-gateway.jfr" >"$out/$label-gateway-profile.txt" 2>&1 || true
  fi
  stop "$gw_pid" "${engine_pids[@]}" "$nats_pid" "$redis_pid"
}

run_peer() {
  start_services
  echo "peer: load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$notes"
  loadgen run --driver jetstream --url "nats://127.0.0.1:$nats_port" --workloads commands \
    --server-label jetstream --server-pid "$nats_pid" --out "$out" "${passthrough[@]}" >/dev/null
  {
    echo "peer: load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "peer: CPU seconds over the run: nats-server $(cpu_seconds "$nats_pid")"
  } >>"$notes"
  stop "$nats_pid" "$redis_pid"
}

IFS=',' read -r -a chosen <<<"$configs"
for c in "${chosen[@]}"; do
  case "$c" in
    1-engine) log "== 1 engine, 1 gateway"; run_playconnect 1-engine 1 ;;
    2-engines) log "== 2 engines, 1 gateway"; run_playconnect 2-engines 2 ;;
    peer) log "== peer: plain JetStream publish + RePublish"; run_peer ;;
    *) log "unknown configuration '$c' (1-engine, 2-engines, peer)"; exit 2 ;;
  esac
done

{
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"\
       "$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1),"\
       "$("$nats_bin" --version 2>&1 | head -1), $("$redis_bin" --version | cut -d' ' -f1-3)"
  echo "server: $server_jar built $server_build"
  echo "options: ${passthrough[*]-}"
  cat "$notes"
  loadgen report --dir "$out"
} | tee "$out/summary.txt"
