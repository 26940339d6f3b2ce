package io.playconnect.bench.load;

import java.util.concurrent.CompletableFuture;

/**
 * A protocol that can publish without holding a session stream: one request, one answer (gRPC's
 * unary {@code Publish}). What {@link UnaryPublishRate} drives.
 */
public interface UnaryPublishing {

    /**
     * Sends one publish at once and returns without waiting. Completes with the stream position the
     * server stored it at, or fails with the server's status; the answer may arrive on an I/O thread.
     */
    CompletableFuture<Long> publishUnary(String room, byte[] payload, String correlationId);
}
