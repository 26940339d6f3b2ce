package io.playconnect.client;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.Status;

import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** Puts {@code authorization: Bearer <token>} on every call, asking the supplier each time (tokens rotate). */
final class TokenCredentials extends CallCredentials {
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final Supplier<String> tokens;

    TokenCredentials(Supplier<String> tokens) {
        this.tokens = tokens;
    }

    @Override
    public void applyRequestMetadata(RequestInfo requestInfo, Executor appExecutor, MetadataApplier applier) {
        try {
            String token = tokens.get();
            Metadata headers = new Metadata();
            if (token != null && !token.isEmpty()) {
                headers.put(AUTHORIZATION, "Bearer " + token);
            }
            applier.apply(headers);
        } catch (RuntimeException e) {
            applier.fail(Status.UNAUTHENTICATED.withDescription("the token supplier failed").withCause(e));
        }
    }
}
