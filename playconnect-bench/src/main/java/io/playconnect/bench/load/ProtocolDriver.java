package io.playconnect.bench.load;

import java.util.concurrent.CompletableFuture;

/**
 * One wire protocol as seen by a load client. Implementations are non-blocking: {@link #connect}
 * returns at once and every callback runs on the driver's few I/O threads, so it must not block.
 */
public interface ProtocolDriver extends AutoCloseable {

    /** A short name for results, such as {@code playconnect-ws} or {@code nats-ws}. */
    String name();

    /**
     * Opens one client, authenticates it and subscribes it to {@code spec.rooms()}. The future
     * completes once every room is subscribed (and, with resume positions, once the server said
     * where it resumes from), or fails with the reason.
     */
    CompletableFuture<ClientConnection> connect(ClientSpec spec, ClientListener listener);

    /** Whether the server replays what a client missed while it was away. */
    boolean resumes();

    /** Stops the I/O threads, closing whatever is still open. */
    @Override
    void close();
}
