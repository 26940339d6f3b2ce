package io.playconnect.edge.auth;

import java.util.concurrent.CompletableFuture;

/**
 * Turns a client's token into a {@link Principal}. The future fails with a
 * {@link io.playconnect.core.SyncException} whose code is {@code UNAUTHENTICATED} (bad token),
 * {@code TOKEN_EXPIRED} or {@code UNAVAILABLE} (the verifier could not decide, e.g. its key server
 * is down). Must not block the calling thread.
 */
@FunctionalInterface
public interface TokenVerifier {
    CompletableFuture<Principal> verify(String token);
}
