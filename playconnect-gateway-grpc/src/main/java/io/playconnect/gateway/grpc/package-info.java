/**
 * The gRPC gateway and the HTTP server API: {@code playconnect.v1.SyncService} (Connect, Publish,
 * GetSnapshot, GetPresence, Subscribe) on grpc-java with health checking and reflection, and
 * {@code /api/v1} on the shared HTTP server, both thin adapters over the shared edge. Requests are
 * decoded and checked here and handed to {@link io.playconnect.edge.EdgeSession}; sessions, auth,
 * limits, resume and presence live in the edge. Each event is encoded once for every gRPC
 * subscriber.
 *
 * <p>May depend on playconnect-core, playconnect-edge, playconnect-http (to mount the HTTP API),
 * the generated playconnect.v1 messages of playconnect-client, grpc-java (netty-shaded, protobuf,
 * stub, services) and Jackson's streaming API; never on the engine, a broker implementation or
 * another gateway.
 */
package io.playconnect.gateway.grpc;
