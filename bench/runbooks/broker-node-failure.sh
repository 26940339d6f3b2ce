#!/usr/bin/env bash
# Runbook "a broker node fails" (docs/operations.md, Runbooks), tried on loopback:
#   a three-node NATS cluster with JetStream (nats-server as installed; on 2.9.x streams keep one
#   replica, see operations.md), own redis-server, two engines and two gateways given all three
#   nodes (--broker nats://a,nats://b,nats://c).
#   loadgen probe over both gateways: 20 rooms x 2 subscribers, 200 publishes/s, --duration (70 s).
#   t=15 s: kill -9 the node that holds the room-log stream (PC_ROOMS).
#   t=40 s: start that node again on the same store directory.
# Written: which streams and buckets lived on the killed node, the probe's summary and timeline.
# Results in bench/results/runbooks/broker-node-failure/ (OUT= to change).
#   bench/runbooks/broker-node-failure.sh [--duration 70s] [--victim rooms|other] [other probe options]
# --victim other kills a node that does not hold PC_ROOMS instead (it may still hold a bucket).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
results broker-node-failure
duration=70
victim=rooms
while [[ "${1-}" == --duration || "${1-}" == --victim ]]; do
  case "$1" in --duration) duration="${2%s}" ;; --victim) victim="$2" ;; esac
  shift 2
done

declare -a cport hport mport npid
for i in 1 2 3; do cport[$i]="$(free_port)"; hport[$i]="$(free_port)"; mport[$i]="$(free_port)"; done
routes="nats-route://127.0.0.1:${mport[1]}, nats-route://127.0.0.1:${mport[2]}, nats-route://127.0.0.1:${mport[3]}"
start_node() { # i
  local i="$1"
  cat >"$work/n$i.conf" <<CONF
server_name: n$i
listen: 127.0.0.1:${cport[$i]}
http: 127.0.0.1:${hport[$i]}
jetstream { store_dir: "$work/n$i" }
cluster { name: pc-runbook, listen: 127.0.0.1:${mport[$i]}, routes: [ $routes ] }
CONF
  "$nats_bin" -c "$work/n$i.conf" >>"$work/n$i.log" 2>&1 &
  npid[$i]=$!; pids+=("${npid[$i]}")
}
js_ready() { curl -s --max-time 2 "http://127.0.0.1:${hport[$1]}/jsz" | grep -q '"leader"'; }
for i in 1 2 3; do start_node "$i"; done
for i in 1 2 3; do await_port "${cport[$i]}" "nats n$i"; done
for _ in $(seq 1 150); do js_ready 1 && js_ready 2 && js_ready 3 && break; sleep 0.2; done
event "cluster up: n1 :${cport[1]}, n2 :${cport[2]}, n3 :${cport[3]} (pids ${npid[1]} ${npid[2]} ${npid[3]})"
broker_url="nats://127.0.0.1:${cport[1]},nats://127.0.0.1:${cport[2]},nats://127.0.0.1:${cport[3]}"
start_redis

launch engine engine-1 --lease-ttl 5s; e1=$last_pid; e1_out=$last_out
launch engine engine-2 --lease-ttl 5s; e2=$last_pid; e2_out=$last_out
await_ready "$e1" "$e1_out"; await_ready "$e2" "$e2_out"
launch gateway gateway-1 --command-timeout 3s; g1=$last_pid; g1_out=$last_out
launch gateway gateway-2 --command-timeout 3s; g2=$last_pid; g2_out=$last_out
await_ready "$g1" "$g1_out"; await_ready "$g2" "$g2_out"
ws1="$(listener ws "$g1_out")"; ws2="$(listener ws "$g2_out")"
event "ready: engines $e1 $e2 (partitions $(owned "$(listener http "$e1_out")") / $(owned "$(listener http "$e2_out")")), gateways $ws1 $ws2"

# Which node holds which stream (each server's /jsz lists the streams it stores).
streams_on() { curl -s --max-time 3 "http://127.0.0.1:${hport[$1]}/jsz?streams=true" | python3 -c '
import json, sys
d = json.load(sys.stdin)
names = [s["name"] for a in d.get("account_details", []) for s in a.get("stream_detail", [])]
print(" ".join(sorted(names)))' 2>/dev/null || true; }

loadgen probe --url "$ws1" --url "$ws2" --token-secret "$secret" --name probe --out "$out" \
  --duration "${duration}s" --settle 30s "$@" >"$out/probe.txt" &
probe=$!; pids+=("$probe")
sleep 15
kill_i=""
for i in 1 2 3; do
  s="$(streams_on "$i")"
  event "n$i stores: ${s:-nothing}"
  if [[ "$victim" == rooms && " $s " == *" PC_ROOMS "* ]]; then kill_i="$i"; fi
  if [[ "$victim" == other && -z "$kill_i" && " $s " != *" PC_ROOMS "* ]]; then kill_i="$i"; fi
done
kill_i="${kill_i:-1}"
event "kill -9 n$kill_i (pid ${npid[$kill_i]}), which stores: $(streams_on "$kill_i")"
kill -9 "${npid[$kill_i]}"
sleep 25
start_node "$kill_i"
await_port "${cport[$kill_i]}" "nats n$kill_i"
event "n$kill_i started again (pid ${npid[$kill_i]}) on the same store directory"
for _ in $(seq 1 150); do js_ready "$kill_i" && break; sleep 0.2; done
event "n$kill_i JetStream ready; stores: $(streams_on "$kill_i")"
wait "$probe" || log "probe exited with $?"
# Every partition must have an owner again (the sum is 16); watched for up to 20 s.
for _ in $(seq 1 10); do
  a="$(owned "$(listener http "$e1_out")")"; b="$(owned "$(listener http "$e2_out")")"
  event "partitions owned: $a / $b"
  [[ $((a + b)) == 16 ]] && break
  sleep 2
done
keep_logs
for i in 1 2 3; do grep -E '\[ERR\]|\[WRN\]' "$work/n$i.log" | tail -20 >"$out/n$i.log" || true; done
cat "$out/probe.txt"
