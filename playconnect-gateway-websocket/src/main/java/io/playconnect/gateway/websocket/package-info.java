/**
 * The WebSocket gateway: the wire contract of DESIGN section 5 over JSON text frames at
 * {@code /ws}, as a thin adapter over the shared edge. This package decodes frames, checks them
 * and calls {@link io.playconnect.edge.EdgeSession}; sessions, auth, limits, resume and presence
 * live in the edge. It encodes each event once for all WebSocket subscribers and coalesces
 * flushes.
 *
 * <p>May depend on playconnect-core, playconnect-edge, playconnect-http (to mount on the shared
 * HTTP port), Netty (codec-http, handler) and Jackson's streaming parser; never on the engine, a
 * broker implementation or another gateway.
 */
package io.playconnect.gateway.websocket;
