#!/usr/bin/env bash
# Starts `./playconnect run` from the repository root on a free-ish port with a throwaway token
# secret, waits for its WebSocket listener, runs the contract suite against it and stops it.
#   PORT=18080 ./run-against-server.sh       # choose the HTTP port (default 18080)
#   PLAYCONNECT_TOKEN_SECRET=... ./run-against-server.sh
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
port="${PORT:-18080}"
secret="${PLAYCONNECT_TOKEN_SECRET:-contract-test-secret-$(date +%s)-at-least-32-bytes}"
log="$(mktemp -t playconnect-contract.XXXXXX.log)"

cd "$here"
[ -d node_modules ] || npm install --no-audit --no-fund

"$root/playconnect" run --http-port "$port" --token-secret "$secret" >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT

# The server prints one line per listener; the suite needs the ws:// one.
url=""
for _ in $(seq 1 600); do
  url="$(grep -o 'ws://[^ ]*/ws' "$log" | head -n 1 || true)"
  [ -n "$url" ] && break
  if ! kill -0 "$server" 2>/dev/null; then
    echo "the server exited early; its output:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.5
done
if [ -z "$url" ]; then
  echo "no ws:// listener line after 300 s; server output in $log" >&2
  exit 1
fi

echo "contract suite against $url"
PLAYCONNECT_WS_URL="$url" PLAYCONNECT_TOKEN_SECRET="$secret" npm test
