/**
 * Benchmarks of PlayConnect Sync. {@code jmh} measures the engine from submit to ack through the
 * in-process broker (not {@code apply} alone); {@code load} is the load generator that measures the
 * WebSocket gateway from outside, beside nats-server as the peer (bench/run-websocket.sh). May
 * depend on whatever it measures; nothing depends on it.
 */
package io.playconnect.bench;
