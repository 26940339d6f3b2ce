# Shared by the runbook scripts (sourced): starting and stopping nats-server, redis-server and
# PlayConnect processes on loopback, each on a free port, and logging what happened when.
# Everything a script starts is stopped on exit, and nothing else: the machine's own NATS (4222)
# and Redis (6379) are never used or touched.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
cd "$root"

nats_bin="${NATS_SERVER:-/usr/sbin/nats-server}"
redis_bin="${REDIS_SERVER:-redis-server}"
server_jar="${SERVER_JAR:-playconnect-server/target/playconnect.jar}"
loadgen_jar="${LOADGEN_JAR:-playconnect-bench/target/loadgen.jar}"
secret="runbook-token-secret-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
work="$(mktemp -d /tmp/pc-runbook.XXXXXX)"
pids=()

log() { echo "runbook: $*" >&2; }

[[ -x "$nats_bin" ]] || { log "no nats-server at $nats_bin (Debian: apt-get install nats-server)"; exit 1; }
command -v "$redis_bin" >/dev/null || { log "no $redis_bin (Debian: apt-get install redis-server)"; exit 1; }
[[ -f "$server_jar" ]] || { log "building $server_jar"; ./mvnw -q -o -pl playconnect-server package -DskipTests >&2; }
[[ -f "$loadgen_jar" ]] || { log "building $loadgen_jar"; ./mvnw -q -o -pl playconnect-bench package -DskipTests >&2; }
cp "$server_jar" "$work/playconnect.jar"
cp "$loadgen_jar" "$work/loadgen.jar"
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"

cleanup() {
  local p
  for p in "${pids[@]-}"; do
    [[ -n "$p" ]] || continue
    kill -CONT "$p" 2>/dev/null || true
    kill "$p" 2>/dev/null || true
  done
  sleep 1
  for p in "${pids[@]-}"; do [[ -n "$p" ]] && { kill -9 "$p" 2>/dev/null || true; }; done
  rm -rf "$work"
}
trap cleanup EXIT

# The results directory of this runbook; events.log gets one line per action, wall-clock ms first.
results() {
  out="${OUT:-bench/results/runbooks/$1}"
  mkdir -p "$out"
  events="$out/events.log"
  : >"$events"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(java -version 2>&1 | head -1), $("$nats_bin" --version 2>&1 | head -1)" >"$out/machine.txt"
  echo "server jar: $server_jar built $(date -r "$server_jar" '+%F %T'); commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')" >>"$out/machine.txt"
}

event() { echo "$(date +%s%3N) $(date -u +%T.%3N) $*" | tee -a "$events" >&2; }

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$(( 20000 + RANDOM % 30000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  log "no free port found"; return 1
}

await_port() { # port, what
  for _ in $(seq 1 150); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  log "$2 not listening on $1 within 15 s"; return 1
}

start_redis() { # sets redis_port, redis_pid
  redis_port="$(free_port)"
  "$redis_bin" --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no >"$work/redis.log" 2>&1 &
  redis_pid=$!; pids+=("$redis_pid")
  await_port "$redis_port" redis-server
}

start_nats() { # one server with JetStream in a temporary store; sets nats_port, nats_pid, broker_url
  nats_port="$(free_port)"
  "$nats_bin" -a 127.0.0.1 -p "$nats_port" -js -sd "$work/nats" >"$work/nats.log" 2>&1 &
  nats_pid=$!; pids+=("$nats_pid")
  await_port "$nats_port" nats-server
  broker_url="nats://127.0.0.1:$nats_port"
}

starts=0
launch() { # role, label, extra args...; sets last_pid, last_out
  local role="$1" label="$2"; shift 2
  starts=$((starts + 1))
  last_out="$work/$label-$starts.out"
  java -Xms256m "-Xmx${HEAP:-512m}" -XX:+UseG1GC -Xlog:gc:file="$work/$label-gc.log" -jar "$work/playconnect.jar" run --roles "$role" --broker "$broker_url" \
    --store "redis://127.0.0.1:$redis_port" --partitions 16 --http-port 0 --mqtt-port 0 --grpc-port 0 \
    --token-secret "$secret" --max-connections 100000 --max-connections-per-ip 100000 \
    --connections-per-second-per-ip 100000 --messages-per-second 100000 --message-burst 100000 "$@" \
    >"$last_out" 2>"$last_out.err" &
  last_pid=$!; pids+=("$last_pid")
}

await_ready() { # pid, output file (at most 90 s)
  for _ in $(seq 1 450); do
    grep -q '^ready' "$2" 2>/dev/null && return 0
    kill -0 "$1" 2>/dev/null || { log "process exited:"; tail -20 "$2.err" >&2 || true; return 1; }
    sleep 0.2
  done
  log "process $1 not ready within 90 s"; return 1
}

listener() { awk -v n="$1" '$1 == n {print $2}' "$2"; }

owned() { curl -s --max-time 5 "$1/metrics" | awk '/^playconnect_engine_partitions_owned/ {print int($2)}'; }

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo "?"; }

stop() { # pid...
  for p in "$@"; do kill "$p" 2>/dev/null || true; done
  for p in "$@"; do
    for _ in $(seq 1 150); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
}

loadgen() { java -Xms512m -Xmx1g -jar "$work/loadgen.jar" "$@"; }

# Keeps each PlayConnect process's last log lines beside the results (errors and warnings show what it
# saw), and its longest GC pauses.
keep_logs() {
  for f in "$work"/*.out.err; do
    [[ -f "$f" ]] || continue
    grep -E 'WARN|ERROR' "$f" | tail -40 >"$out/$(basename "$f" .out.err).log" || true
  done
  for f in "$work"/*-gc.log; do
    [[ -f "$f" ]] || continue
    { grep -c 'Pause' "$f" | sed 's/^/GC pauses: /'
      grep -oE '[0-9.]+ms$' "$f" | sort -rn | head -5 | tr '\n' ' ' | sed 's/^/longest: /'; echo
      grep -E 'Pause Full' "$f" | tail -3; } >"$out/$(basename "$f" .log).txt" || true
  done
}
