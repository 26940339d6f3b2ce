#!/usr/bin/env bash
# The MQTT gateway measured beside mosquitto and nats-server's MQTT listener (docs/benchmarks.md,
# section "MQTT gateway").
#
#   bench/run-mqtt.sh [--small] [--jfr] [--workloads idle,burst,cross] [loadgen run options...]
#
# Each measurement gets a fresh server process on free loopback ports, one after the other:
#   idle   15,000 MQTT connections, one subscription each (QoS 0): PlayConnect, mosquitto,
#          nats-server. RSS growth per connection for all three; for PlayConnect also live heap +
#          native memory (jcmd GC.run, GC.heap_info, VM.native_memory) and the heap growth by class.
#   burst  1,000 MQTT subscribers (QoS 0) of one topic, one publisher sending 500 messages of 64 B
#          (QoS 1, at most 16 unacknowledged) after a warm-up round of 500: server CPU per delivery
#          (/proc/<pid>/stat): PlayConnect, mosquitto, nats-server.
#   cross  PlayConnect only: MQTT QoS 1 publishers (40 connections) into chat.cross, WebSocket
#          subscribers (2) in it, 20,000 messages/s open loop for 20 s after 5 s of warm-up: p99
#          publish-to-delivery latency and lost deliveries.
# Results go to bench/results/<date>-mqtt/ (OUT= to change): one JSON per workload and server,
# SVG charts, summary.txt, load.txt (uptime before each run), the heap growth by class and, with
# --jfr, the summary of PlayConnect's CPU samples during each measured phase. Options after the
# script's own go to `loadgen run` unchanged, e.g. --connections 2000 --cross-rate 5000.
#
# Environment: SERVER_HEAP (default 1g), OUT, SERVER_JAR (default
# playconnect-server/target/playconnect.jar), LOADGEN_JAR (default
# playconnect-bench/target/loadgen.jar); both are copied first, so a rebuild during the run does
# not mix builds. SERVER_COMMIT (the commit SERVER_JAR was built from, for summary.txt). MOSQUITTO
# (default /usr/sbin/mosquitto), NATS_SERVER (default /usr/sbin/nats-server).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$root"

small=false
jfr=false
workloads="idle,burst,cross"
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
  passthrough=(--connections 1000 --subscribers 100 --messages 50 --cross-rate 2000 --cross-publishers 8
               --duration 5s --warmup 2s --settle 2s "${passthrough[@]}")
else
  # The full-size defaults, unless given (loadgen refuses an option given twice).
  [[ " ${passthrough[*]-} " == *" --duration "* ]] || passthrough+=(--duration 20s)
  [[ " ${passthrough[*]-} " == *" --warmup "* ]] || passthrough+=(--warmup 5s)
fi

out="${OUT:-bench/results/$(date +%F)-mqtt}"
heap="${SERVER_HEAP:-1g}"
server_jar="${SERVER_JAR:-playconnect-server/target/playconnect.jar}"
loadgen_jar="${LOADGEN_JAR:-playconnect-bench/target/loadgen.jar}"
mosquitto_bin="${MOSQUITTO:-/usr/sbin/mosquitto}"
nats_bin="${NATS_SERVER:-/usr/sbin/nats-server}"
secret="bench-token-secret-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
work="$(mktemp -d /tmp/pc-bench-mqtt.XXXXXX)"
mkdir -p "$out"

log() { echo "bench: $*" >&2; }
# shellcheck source=bench/lib/common.sh
source bench/lib/common.sh

# 15,000 clients in one process need more than the usual 1,024 open files (20,000 is this machine's
# cap); the servers started below inherit the limit.
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"

ensure_loadgen_jar "$loadgen_jar"
ensure_server_jar "$server_jar"
for bin in "$mosquitto_bin" "$nats_bin"; do
  if [[ ! -x "$bin" ]]; then
    log "no $bin (Debian: apt-get install mosquitto nats-server)"
    exit 1
  fi
done
cp "$server_jar" "$work/playconnect.jar"
cp "$loadgen_jar" "$work/loadgen.jar"
server_build="$(date -r "$server_jar" '+%F %T')"

trap cleanup_server EXIT

start_playconnect() {
  start_playconnect_run
  mqtt_url="$(listener_url mqtt)"
  ws_url="$(listener_url ws)"
}

start_mosquitto() {
  local port
  port="$(free_port)"
  cat >"$work/mosquitto.conf" <<CONF
listener $port 127.0.0.1
allow_anonymous true
persistence false
connection_messages false
log_dest stderr
log_type error
log_type warning
CONF
  "$mosquitto_bin" -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
  server_pid=$!
  await_port "$port" mosquitto "$server_pid" "$work/mosquitto.log"
  mqtt_url="mqtt://127.0.0.1:$port"
}

start_nats() {
  local client_port mqtt_port
  client_port="$(free_port)"
  mqtt_port="$(free_port)"
  rm -rf "$work/jetstream"
  cat >"$work/nats.conf" <<CONF
server_name: bench
listen: "127.0.0.1:$client_port"
jetstream { store_dir: "$work/jetstream" }
mqtt { listen: "127.0.0.1:$mqtt_port" }
CONF
  "$nats_bin" -c "$work/nats.conf" >"$work/nats.log" 2>&1 &
  server_pid=$!
  await_port "$mqtt_port" nats-server "$server_pid" "$work/nats.log"
  mqtt_url="mqtt://127.0.0.1:$mqtt_port"
}

loadgen() {
  java -Xms2g -Xmx2g -jar "$work/loadgen.jar" "$@"
}

note_load() {
  echo "$(date -u '+%F %T') $1: $(uptime)" | tee -a "$out/load.txt" >&2
}

profile=()
if $jfr; then profile=(--profile); fi

# One workload against one server: $1 workload, $2 server (playconnect, mosquitto, nats).
run_one() {
  local w="$1" s="$2" extra=()
  [[ "$w" == idle ]] && extra+=(--idle-rooms 1)
  note_load "$w against $s"
  case "$s" in
    playconnect)
      start_playconnect
      [[ "$w" == cross ]] && extra+=(--subscriber-url "$ws_url")
      loadgen run --driver mqtt --url "$mqtt_url" --token-secret "$secret" --workloads "$w" \
        --server-label playconnect-mqtt --server-pid "$server_pid" --jvm "${profile[@]}" --out "$out" \
        "${extra[@]}" "${passthrough[@]}" >/dev/null ;;
    mosquitto)
      start_mosquitto
      loadgen run --driver mqtt-anonymous --url "$mqtt_url" --workloads "$w" --server-label mosquitto \
        --server-pid "$server_pid" --out "$out" "${extra[@]}" "${passthrough[@]}" >/dev/null ;;
    nats)
      start_nats
      loadgen run --driver mqtt-anonymous --url "$mqtt_url" --workloads "$w" --server-label nats-server-mqtt \
        --server-pid "$server_pid" --out "$out" "${extra[@]}" "${passthrough[@]}" >/dev/null ;;
  esac
  stop_server
}

IFS=',' read -r -a chosen <<<"$workloads"
for w in "${chosen[@]}"; do
  case "$w" in
    idle|burst) for s in playconnect mosquitto nats; do run_one "$w" "$s"; done ;;
    cross) run_one cross playconnect ;;
    *) log "unknown workload $w (idle, burst, cross)"; exit 2 ;;
  esac
done

{
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"\
       "$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)"
  echo "server: $server_jar built $server_build${SERVER_COMMIT:+ from commit $SERVER_COMMIT};"\
       "this checkout at $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "mosquitto: $("$mosquitto_bin" -h 2>&1 | head -1); nats-server: $("$nats_bin" --version 2>&1 | head -1)"
  echo "load average before the report: $(cut -d' ' -f1-3 /proc/loadavg)"
  loadgen report --dir "$out"
} | tee "$out/summary.txt"
