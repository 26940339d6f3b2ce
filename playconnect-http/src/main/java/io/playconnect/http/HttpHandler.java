package io.playconnect.http;

import java.util.concurrent.CompletableFuture;

/**
 * Answers one request. Called on a Netty event loop: it must not block. Slow work belongs on the
 * handler's own executor, with the future completed from there. A failed future, a thrown
 * exception or a null answer becomes a 500 with a JSON body.
 */
@FunctionalInterface
public interface HttpHandler {
    CompletableFuture<HttpResponse> handle(HttpRequest request);
}
