/**
 * JMH benchmarks: the engine from submit to ack through the in-process broker on one partition
 * ({@code EngineSubmitToAckBenchmark}), and its peer, a bare request-reply round trip through the
 * machine's nats-server ({@code NatsRequestReplyBenchmark}). Run from
 * {@code playconnect-bench/target/benchmarks.jar}; results and commands are in docs/benchmarks.md.
 */
package io.playconnect.bench.jmh;
