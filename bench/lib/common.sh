# Shared by the bench/run-*.sh scripts (sourced, after the script defined `log` and cd'ed to the
# repository root): free loopback ports, waiting for a started process, stopping it, and finding or
# building the jars. Every wait is bounded, so a server that never comes up fails the run instead of
# hanging it.

# A loopback port nothing listens on (bounded tries).
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$(( 20000 + RANDOM % 30000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  log "no free port found"; return 1
}

# Waits (at most 20 s) until port $1 accepts connections; $2 names the server in messages. With a
# pid ($3) the wait ends early when that process exits, printing its log file ($4) if given.
await_port() {
  local port="$1" what="$2" pid="${3:-}" log_file="${4:-}"
  for _ in $(seq 1 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
      log "$what exited${log_file:+: $(cat "$log_file" 2>/dev/null)}"; return 1
    fi
    sleep 0.1
  done
  log "$what not listening on $port within 20 s"; return 1
}

# Waits (at most 60 s) for a line starting with "ready" from process $1 writing to file $2 (its
# stderr in $2.err).
await_ready() {
  for _ in $(seq 1 300); do
    grep -q '^ready' "$2" 2>/dev/null && return 0
    kill -0 "$1" 2>/dev/null || { log "process exited:"; cat "$2" "$2.err" >&2 || true; return 1; }
    sleep 0.2
  done
  log "process $1 not ready within 60 s"; return 1
}

# Stops processes this script started: TERM, up to 15 s each to exit, then KILL.
stop() { # pid...
  local p
  for p in "$@"; do kill "$p" 2>/dev/null || true; done
  for p in "$@"; do
    for _ in $(seq 1 150); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
}

# Builds the load generator jar $1 when it is missing or older than its sources, unless LOADGEN_JAR
# names a copy to use as it is (so that a rebuild during a run cannot mix builds).
ensure_loadgen_jar() {
  [[ -z "${LOADGEN_JAR:-}" ]] || return 0
  if [[ -f "$1" ]] && [[ -z "$(find playconnect-bench/src playconnect-bench/pom.xml -newer "$1" -type f -print -quit)" ]]; then
    return 0
  fi
  log "building $1"
  if ! ./mvnw -q -pl playconnect-bench package -DskipTests >&2; then
    log "building the load generator failed; on a fresh clone install its dependencies first:"
    log "  ./mvnw -q -pl playconnect-bench -am install -DskipTests"
    exit 1
  fi
}

# Builds the server jar $1 when it is missing.
ensure_server_jar() {
  [[ -f "$1" ]] && return 0
  log "building $1"
  ./mvnw -q -pl playconnect-server package -DskipTests >&2
}

# The one server process a script has up at a time (PlayConnect or a peer), for the scripts that
# measure one server after another: `trap cleanup_server EXIT` stops it and removes $work.
server_pid=""
cleanup_server() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}

stop_server() {
  stop "$server_pid"
  server_pid=""
}

# Starts `playconnect run` from $work/playconnect.jar (heap $heap, token secret $secret) on free
# ports and waits until it is ready; sets server_pid and server_out, the file that lists its
# listeners ("ws <url>", "mqtt <url>", ...). The load generator opens thousands of connections from
# a few addresses and one publisher sends far above the default 50 messages/s, so the edge's limits
# are raised.
starts=0
start_playconnect_run() {
  local opts
  opts="-Xms$heap -Xmx$heap -XX:+UseG1GC -XX:+AlwaysPreTouch -XX:NativeMemoryTracking=summary"
  # A new file per start: the previous server's "ready" must not be mistaken for this one's.
  starts=$((starts + 1))
  server_out="$work/server-$starts.out"
  # shellcheck disable=SC2086 # opts is a list of JVM options on purpose
  java $opts -jar "$work/playconnect.jar" run --http-port "$(free_port)" --grpc-port "$(free_port)" \
    --mqtt-port "$(free_port)" --token-secret "$secret" \
    --max-connections 100000 --max-connections-per-ip 100000 --connections-per-second-per-ip 100000 \
    --messages-per-second 100000 --message-burst 100000 \
    >"$server_out" 2>"$server_out.err" &
  server_pid=$!
  await_ready "$server_pid" "$server_out"
}

# The URL of listener $1 (ws, mqtt, grpc, http) in file $2 (default: the last server_out).
listener_url() {
  awk -v n="$1" '$1 == n {print $2}' "${2:-$server_out}"
}
