#!/usr/bin/env bash
# The WebSocket gateway measured against nats-server's WebSocket listener (docs/benchmarks.md).
#
#   bench/run-websocket.sh [--small] [--jfr] [--workloads idle,burst,paced,storm] [loadgen run options...]
#
# For each workload: starts a fresh PlayConnect server (fixed heap, Native Memory Tracking), runs
# the workload, stops it; then the same against a fresh nats-server on free loopback ports.
# Results go to bench/results/<date>/: one JSON per workload and server, one SVG chart per
# workload, summary.txt, the heap growth by class for idle density and, with --jfr, the summary of
# PlayConnect's CPU samples during each measured phase (a flight recording started with jcmd
# JFR.start) as <workload>-playconnect-profile.txt. The profiler costs CPU and memory: take the
# figures from a run without --jfr. Options after the script's own go to `loadgen run` unchanged, e.g.
# --connections 2000 --duration 10s (see `java -jar playconnect-bench/target/loadgen.jar run --help`).
#
# Environment: SERVER_HEAP (default 1g), OUT (results directory), LOADGEN_JAR (a copy of
# loadgen.jar to use as it is, so a rebuild during the run cannot mix builds), NATS_SERVER (default
# /usr/sbin/nats-server), PLAYCONNECT_SERVER=bench|command: "bench" (default) starts PlayConnect
# through loadgen's `server` command, the product's wiring with the edge's connection limits raised;
# "command" runs `java -jar playconnect-server/target/playconnect.jar run` with PLAYCONNECT_ARGS
# (for when it has options for those limits).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$root"

small=false
jfr=false
workloads="idle,burst,paced,storm"
passthrough=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --small) small=true; shift ;;
    --jfr) jfr=true; shift ;;
    --workloads) workloads="$2"; shift 2 ;;
    *) passthrough+=("$1"); shift ;;
  esac
done
if $small; then
  passthrough=(--connections 1000 --subscribers 100 --messages 50 --paced-subscribers 500 --duration 5s
               --warmup 2s --storm-clients 500 --settle 2s "${passthrough[@]}")
fi

out="${OUT:-bench/results/$(date +%F)}"
heap="${SERVER_HEAP:-1g}"
nats_bin="${NATS_SERVER:-/usr/sbin/nats-server}"
server_mode="${PLAYCONNECT_SERVER:-bench}"
secret="bench-token-secret-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
jar="${LOADGEN_JAR:-playconnect-bench/target/loadgen.jar}"
work="$(mktemp -d /tmp/pc-bench.XXXXXX)"
mkdir -p "$out"

log() { echo "bench: $*" >&2; }
# shellcheck source=bench/lib/common.sh
source bench/lib/common.sh

# 15,000 clients in one process need more than the usual 1,024 open files (20,000 is this machine's cap).
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"

ensure_loadgen_jar "$jar"
if [[ "$server_mode" == command ]]; then ensure_server_jar playconnect-server/target/playconnect.jar; fi
if [[ ! -x "$nats_bin" ]]; then
  log "no nats-server at $nats_bin (Debian: apt-get install nats-server)"
  exit 1
fi

trap cleanup_server EXIT

start_playconnect() {
  local port opts
  port="$(free_port)"
  opts="-Xms$heap -Xmx$heap -XX:+UseG1GC -XX:+AlwaysPreTouch -XX:NativeMemoryTracking=summary"
  # shellcheck disable=SC2086 # opts is a list of JVM options on purpose
  if [[ "$server_mode" == command ]]; then
    java $opts -jar playconnect-server/target/playconnect.jar run --http-port "$port" --token-secret "$secret" \
      ${PLAYCONNECT_ARGS:-} >"$work/server.out" 2>"$work/server.out.err" &
  else
    java $opts -jar "$jar" server --http-port "$port" --token-secret "$secret" \
      >"$work/server.out" 2>"$work/server.out.err" &
  fi
  server_pid=$!
  await_ready "$server_pid" "$work/server.out"
  ws_url="$(awk '$1 == "ws" {print $2}' "$work/server.out")"
}

start_nats() {
  local client_port ws_port
  client_port="$(free_port)"
  ws_port="$(free_port)"
  cat >"$work/nats.conf" <<CONF
listen: "127.0.0.1:$client_port"
websocket { listen: "127.0.0.1:$ws_port", no_tls: true }
CONF
  "$nats_bin" -c "$work/nats.conf" >"$work/nats.log" 2>&1 &
  server_pid=$!
  await_port "$ws_port" nats-server "$server_pid" "$work/nats.log"
  ws_url="ws://127.0.0.1:$ws_port"
}

loadgen() {
  java -Xms2g -Xmx2g -jar "$jar" "$@"
}

IFS=',' read -r -a chosen <<<"$workloads"
for w in "${chosen[@]}"; do
  log "== $w: playconnect"
  start_playconnect
  profile=()
  if $jfr; then profile=(--profile); fi
  loadgen run --driver websocket --url "$ws_url" --token-secret "$secret" --workloads "$w" \
    --server-pid "$server_pid" --jvm "${profile[@]}" --out "$out" "${passthrough[@]}" >/dev/null
  stop_server
  log "== $w: nats-server"
  start_nats
  loadgen run --driver nats-ws --url "$ws_url" --workloads "$w" --server-pid "$server_pid" \
    --out "$out" "${passthrough[@]}" >/dev/null
  stop_server
done

{
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"\
       "$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)"
  echo "nats-server: $("$nats_bin" --version 2>&1 | head -1)"
  loadgen report --dir "$out"
} | tee "$out/summary.txt"
