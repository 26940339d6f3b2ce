/**
 * A small Java client over the playconnect.v1 gRPC contract: {@link io.playconnect.client.PlayConnectClient}
 * for unary publish, snapshot and presence, and {@link io.playconnect.client.Connection} for a
 * session that joins rooms, receives events and publishes, reconnecting and resuming on its own.
 * The generated contract classes ({@code io.playconnect.proto.v1}, made from {@code proto/} at build
 * time) ship in the same jar.
 *
 * <p>May depend on playconnect-core (envelope types and error codes), grpc-java (netty-shaded,
 * protobuf, stub) and the generated classes; never on the server's modules.
 */
package io.playconnect.client;
