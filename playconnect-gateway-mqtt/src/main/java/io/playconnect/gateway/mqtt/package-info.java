/**
 * The MQTT gateway: MQTT 3.1.1 and 5 over TCP, TLS and WebSocket as a thin adapter over the shared
 * edge. Netty's MQTT codec decodes and encodes every packet; this package checks packets, maps
 * topics onto rooms ({@code game/42/move} is type {@code game.move} in room {@code game.42}) and
 * plain broker subjects, and calls {@link io.playconnect.edge.EdgeSession}. Sessions, auth, limits,
 * resume and presence live in the edge. Each event is encoded once for every MQTT subscriber.
 *
 * <p>Persistent MQTT sessions ({@link io.playconnect.gateway.mqtt.SessionState}) are kept in the
 * {@link io.playconnect.core.spi.SessionStore} the server offers: what the edge's resume cannot give
 * back (in-flight packets, QoS 2 packet ids, packet id to correlationId) plus each room's position,
 * which is rejoined through the edge's resume. Retained messages of plain topics live in a broker
 * key-value bucket.
 *
 * <p>May depend on playconnect-core, playconnect-edge, playconnect-http (to mount MQTT over
 * WebSocket on the shared HTTP port), Netty (codec-mqtt, codec-http, handler) and Jackson's
 * streaming API; never on the engine, a broker implementation or another gateway.
 */
package io.playconnect.gateway.mqtt;
