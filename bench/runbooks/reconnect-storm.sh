#!/usr/bin/env bash
# Runbook "a reconnect storm" (docs/operations.md, Runbooks), tried on loopback, scale-out mode:
#   own nats-server and redis-server; one engine; one gateway (--roles gateway over NATS and Redis).
#   loadgen's storm workload: --storm-clients (default 3,000) clients in one room; all are dropped
#   at once (TCP reset, as when a load balancer or a network path fails), 5 events are published
#   while they are away, and all reconnect at once with their last {epoch, seq}: every one must
#   resume with the missed events replayed (recovered: true), none missing or repeated.
# Also written: the gateway's and the engine's CPU time and RSS before and after.
# Results in bench/results/runbooks/reconnect-storm/ (OUT= to change).
#   bench/runbooks/reconnect-storm.sh [--storm-clients N] [other loadgen run options]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
results reconnect-storm
clients=3000
[[ "${1-}" == --storm-clients ]] && { clients="$2"; shift 2; }

start_nats; start_redis
launch engine engine-1; e1=$last_pid; e1_out=$last_out
launch gateway gateway-1; g1=$last_pid; g1_out=$last_out
await_ready "$e1" "$e1_out"; await_ready "$g1" "$g1_out"
ws1="$(listener ws "$g1_out")"
cpu() { awk '{printf "%.1f s", ($14 + $15) / 100}' "/proc/$1/stat"; }
event "ready: engine-1 pid $e1, gateway-1 pid $g1 $ws1; gateway RSS $(rss_kb "$g1") kB, CPU $(cpu "$g1"); engine CPU $(cpu "$e1")"
loadgen run --driver websocket --url "$ws1" --token-secret "$secret" --workloads storm --storm-clients "$clients" \
  --server-label playconnect-scaleout --server-pid "$g1" --out "$out" "$@" >"$out/storm.txt"
event "storm done; gateway RSS $(rss_kb "$g1") kB, CPU $(cpu "$g1"); engine CPU $(cpu "$e1")"
keep_logs
cat "$out/storm.txt"
