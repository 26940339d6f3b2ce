package io.playconnect.core.spi;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Durable per-client session state that outlives a connection (resume positions, MQTT persistent
 * sessions). The value is opaque to the store; each protocol owns its encoding.
 */
public interface SessionStore {
    CompletableFuture<Optional<byte[]>> load(String sessionId);

    /** Stores the session; it expires after {@code ttl} without a further save. */
    CompletableFuture<Void> save(String sessionId, byte[] state, Duration ttl);

    CompletableFuture<Void> delete(String sessionId);
}
