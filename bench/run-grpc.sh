#!/usr/bin/env bash
# The gRPC gateway measured from outside (docs/benchmarks.md, section "gRPC gateway").
#
#   bench/run-grpc.sh [--small] [--jfr] [--workloads unary,burst] [loadgen run options...]
#
# Runs `playconnect run` (the real server command, with the edge's limits raised by its own
# options) once per measurement, each time a fresh process:
#   unary   open-loop unary Publish at --unary-rate requests/s (default 10,000) over --unary-rooms
#           rooms, one service token, after --warmup, for --duration; p50/p99/p99.9 from the
#           scheduled send time, errors by status code, server CPU per request
#   burst   Connect-stream fan-out (1,000 subscribers x 500 messages by default) over gRPC, then the
#           same workload over the WebSocket gateway of a fresh server of the same build, back to
#           back: server CPU per delivery and deliveries per server CPU-second side by side
# Results go to bench/results/<date>-grpc/ (OUT= to change): one JSON per workload and driver, the
# SVG charts, summary.txt and, with --jfr, the summary of the server's CPU samples during each
# measured phase (<workload>-<server>-profile.txt). The profiler costs CPU: take the figures from a
# run without --jfr. Options after the script's own go to `loadgen run` unchanged, e.g.
# --unary-rate 5000 --duration 10s --subscribers 200 (see `loadgen.jar run --help`).
#
# Environment: SERVER_HEAP (default 1g), OUT, SERVER_JAR (default
# playconnect-server/target/playconnect.jar; it is copied first, so a rebuild during the run does
# not mix two builds), LOADGEN_JAR (a copy of loadgen.jar to use as it is; by default
# playconnect-bench/target/loadgen.jar, rebuilt when older than its sources).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$root"

small=false
jfr=false
workloads="unary,burst"
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
  passthrough=(--unary-rate 1000 --warmup 2s --duration 5s --subscribers 100 --messages 50 "${passthrough[@]}")
else
  # The full-size defaults, unless given (loadgen refuses an option given twice).
  [[ " ${passthrough[*]-} " == *" --duration "* ]] || passthrough+=(--duration 20s)
  [[ " ${passthrough[*]-} " == *" --warmup "* ]] || passthrough+=(--warmup 5s)
fi

out="${OUT:-bench/results/$(date +%F)-grpc}"
heap="${SERVER_HEAP:-1g}"
server_jar="${SERVER_JAR:-playconnect-server/target/playconnect.jar}"
secret="bench-token-secret-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
jar="${LOADGEN_JAR:-playconnect-bench/target/loadgen.jar}"
work="$(mktemp -d /tmp/pc-bench-grpc.XXXXXX)"
mkdir -p "$out"

log() { echo "bench: $*" >&2; }
# shellcheck source=bench/lib/common.sh
source bench/lib/common.sh

ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"

ensure_loadgen_jar "$jar"
ensure_server_jar "$server_jar"
cp "$server_jar" "$work/playconnect.jar"
server_build="$(date -r "$server_jar" '+%F %T')"

trap cleanup_server EXIT

# The one service token of the unary calls also sends far above the default 50 messages/s.
start_playconnect() {
  start_playconnect_run
  grpc_url="$(listener_url grpc)"
  ws_url="$(listener_url ws)"
}

loadgen() {
  java -Xms2g -Xmx2g -jar "$jar" "$@"
}

profile=()
if $jfr; then profile=(--profile); fi

IFS=',' read -r -a chosen <<<"$workloads"
for w in "${chosen[@]}"; do
  log "== $w: playconnect over gRPC"
  start_playconnect
  loadgen run --driver grpc --url "$grpc_url" --token-secret "$secret" --workloads "$w" \
    --server-label playconnect-grpc --server-pid "$server_pid" --jvm "${profile[@]}" --out "$out" \
    "${passthrough[@]}" >/dev/null
  stop_server
  if [[ "$w" != unary ]]; then
    log "== $w: playconnect over WebSocket"
    start_playconnect
    loadgen run --driver websocket --url "$ws_url" --token-secret "$secret" --workloads "$w" \
      --server-label playconnect-ws --server-pid "$server_pid" --jvm "${profile[@]}" --out "$out" \
      "${passthrough[@]}" >/dev/null
    stop_server
  fi
done

{
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"\
       "$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)"
  echo "server: $server_jar built $server_build; load average before the report: $(cut -d' ' -f1-3 /proc/loadavg)"
  loadgen report --dir "$out"
} | tee "$out/summary.txt"
