#!/usr/bin/env bash
# Runbook "a gateway crashes" (docs/operations.md, Runbooks), tried on loopback:
#   own nats-server (JetStream, temporary store) and redis-server; one engine; two gateways.
#   loadgen probe: 20 rooms x 2 subscribers and 4 publishers spread over both gateways, 200 publishes/s.
#   t=15 s: kill -9 gateway 1. Its clients reconnect to gateway 2 and resume from their last seq.
#   t=30 s: gateway 1 is started again (a new port: the clients that moved stay where they are).
# Results in bench/results/runbooks/gateway-crash/ (OUT= to change): probe JSON and per-second
# timeline, events.log (wall-clock ms of each action), WARN/ERROR lines of each process.
#   bench/runbooks/gateway-crash.sh [--duration 45s] [other loadgen probe options]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
results gateway-crash
duration=45
[[ "${1-}" == --duration ]] && { duration="${2%s}"; shift 2; }

start_nats; start_redis
launch engine engine-1; e1=$last_pid; e1_out=$last_out
launch gateway gateway-1; g1=$last_pid; g1_out=$last_out
launch gateway gateway-2; g2=$last_pid; g2_out=$last_out
await_ready "$e1" "$e1_out"; await_ready "$g1" "$g1_out"; await_ready "$g2" "$g2_out"
ws1="$(listener ws "$g1_out")"; ws2="$(listener ws "$g2_out")"
event "ready: engine-1 pid $e1, gateway-1 pid $g1 $ws1, gateway-2 pid $g2 $ws2"

loadgen probe --url "$ws1" --url "$ws2" --token-secret "$secret" --name probe --out "$out" \
  --duration "${duration}s" "$@" >"$out/probe.txt" &
probe=$!; pids+=("$probe")
sleep 15
event "kill -9 gateway-1 (pid $g1)"
kill -9 "$g1"
sleep 15
launch gateway gateway-1-again; g1b=$last_pid
await_ready "$g1b" "$last_out"
event "gateway-1 started again: $(listener ws "$last_out")"
wait "$probe" || log "probe exited with $?"
event "probe done"
keep_logs
cat "$out/probe.txt"
