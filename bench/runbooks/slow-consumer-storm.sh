#!/usr/bin/env bash
# Runbook "a slow-consumer storm" (docs/operations.md, Runbooks), tried on loopback:
#   own nats-server and redis-server; one engine; one gateway.
#   loadgen probe: the usual 20 rooms x 2 subscribers at 200 publishes/s, plus a busy room with
#   --slow-subscribers (default 200) subscribers and 2 watchers, 500 publishes/s of 1 KiB to it.
#   t=10 s: every slow subscriber stops reading (the socket stays open, as with a frozen tab).
#   The edge must close each one as a slow consumer (WebSocket 4003) once its outbound queue passes
#   1,024 messages or 4 MiB, and nobody else may be held up or lose anything.
# Also sampled every 5 s: the gateway's RSS and its slow-consumer counter from /metrics.
# Results in bench/results/runbooks/slow-consumer-storm/ (OUT= to change).
#   bench/runbooks/slow-consumer-storm.sh [--slow-subscribers N] [--busy-rate N] [other loadgen probe options]
# Environment: HEAP (each PlayConnect process's -Xmx, default 512m).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
results slow-consumer-storm
slow=200
busy=500
while [[ "${1-}" == --slow-subscribers || "${1-}" == --busy-rate ]]; do
  case "$1" in --slow-subscribers) slow="$2" ;; --busy-rate) busy="$2" ;; esac
  shift 2
done

start_nats; start_redis
launch engine engine-1; e1=$last_pid; e1_out=$last_out
launch gateway gateway-1; g1=$last_pid; g1_out=$last_out
await_ready "$e1" "$e1_out"; await_ready "$g1" "$g1_out"
ws1="$(listener ws "$g1_out")"; http1="$(listener http "$g1_out")"
event "ready: engine-1 pid $e1, gateway-1 pid $g1 $ws1; gateway RSS $(rss_kb "$g1") kB"

loadgen probe --url "$ws1" --token-secret "$secret" --name probe --out "$out" --duration 40s \
  --slow-subscribers "$slow" --slow-after 10s --busy-rate "$busy" --payload-bytes 1024 "$@" >"$out/probe.txt" &
probe=$!; pids+=("$probe")
for i in $(seq 1 12); do
  sleep 5
  kill -0 "$probe" 2>/dev/null || break
  event "t+$((i * 5))s gateway RSS $(rss_kb "$g1") kB; $(curl -s --max-time 3 "$http1/metrics" | grep -E '^playconnect_edge_slow_consumer' | tr '\n' ' ')"
done
wait "$probe" || log "probe exited with $?"
event "probe done; gateway RSS $(rss_kb "$g1") kB; $(curl -s --max-time 3 "$http1/metrics" | grep -E '^playconnect_edge_slow_consumer' | tr '\n' ' ')"
keep_logs
cat "$out/probe.txt"
