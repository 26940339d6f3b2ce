package io.playconnect.edge.spi;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One protocol's gateway (WebSocket, MQTT, gRPC): codec and adapter only, everything shared is in
 * the {@link io.playconnect.edge.Edge}. Implementations are listed in
 * {@code META-INF/services/io.playconnect.edge.spi.ProtocolGateway} and need a public no-argument
 * constructor.
 */
public interface ProtocolGateway {

    /** The protocol name used in metrics, presence and origins: {@code websocket}, {@code mqtt}, {@code grpc}. */
    String protocol();

    /** Binds (or mounts on a shared server) and completes with what it listens on. */
    CompletableFuture<List<Listener>> start(GatewayContext context);

    /**
     * Stops accepting connections. The server then drains the edge, which closes every session with
     * {@code GOING_AWAY} so clients reconnect elsewhere.
     */
    CompletableFuture<Void> drain();

    /** Releases everything; idempotent. */
    void close();
}
