/**
 * The load generator: many WebSocket clients from one process, driving the gateway workloads
 * (idle density, burst and paced fan-out, reconnect storm) against a PlayConnect server or, for a
 * peer figure, nats-server's WebSocket listener; and PlayConnect's gRPC gateway (Connect streams
 * for the same workloads, and open-loop unary Publish at a fixed rate); and MQTT 3.1.1 clients
 * (Netty's MQTT codec) against PlayConnect's MQTT gateway or any broker (mosquitto, nats-server's
 * MQTT listener), with the cross-protocol workload (MQTT publishers, WebSocket subscribers).
 * Protocols plug in as {@link io.playconnect.bench.load.ProtocolDriver}s; results are a table, a
 * JSON file and an SVG chart.
 *
 * <p>May depend on Netty, grpc-java and the generated playconnect.v1 classes (from
 * playconnect-client), HdrHistogram, Jackson, picocli and, for {@link
 * io.playconnect.bench.load.BenchServer} only, on the server's parts; it talks to servers only
 * over loopback sockets. Nothing depends on this package.
 */
package io.playconnect.bench.load;
