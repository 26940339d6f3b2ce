/**
 * What every protocol gateway shares, so that WebSocket, MQTT and gRPC behave the same:
 * {@link io.playconnect.edge.Edge} (admission, sessions, room fan-out with encode-once, join and
 * resume by seq, commands with one in flight per room, the slow-consumer policy, presence,
 * metrics) and the types a gateway meets: {@link io.playconnect.edge.EdgeSession} (what it calls)
 * and {@link io.playconnect.edge.SessionOutput} (what it implements). Nothing here knows a
 * protocol: a gateway only decodes frames, calls its session and encodes what the output receives.
 *
 * <p>Threading: each session's state and each room's state has a single writer (a serial executor
 * over a shared pool); the hot path (a stored record reaching every local subscriber) takes no shared lock.
 *
 * <p>May depend on playconnect-core, nimbus-jose-jwt, bucket4j, Micrometer and SLF4J. It talks
 * to the engines only through the core {@link io.playconnect.core.spi.Broker}; it never depends on
 * the engine, a broker implementation or a gateway.
 */
package io.playconnect.edge;
