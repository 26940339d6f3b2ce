/**
 * Benchmarks of PlayConnect Sync. {@code jmh} measures the engine from submit to ack through the
 * in-process broker (not {@code apply} alone); the load generator for the gateways comes with the
 * gateway benchmarks. May depend on whatever it measures; nothing depends on it.
 */
package io.playconnect.bench;
