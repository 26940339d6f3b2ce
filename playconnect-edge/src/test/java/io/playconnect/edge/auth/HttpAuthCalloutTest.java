package io.playconnect.edge.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.RoomId;
import io.playconnect.core.SyncException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpAuthCalloutTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicReference<String> lastToken = new AtomicReference<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private URI uri;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/auth", this::answer);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/auth");
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private void answer(HttpExchange ex) throws IOException {
        calls.incrementAndGet();
        Map<?, ?> body = JSON.readValue(ex.getRequestBody(), Map.class);
        String token = (String) body.get("token");
        lastToken.set(token);
        long exp = Instant.now().plusSeconds(600).getEpochSecond();
        switch (token) {
            case "good" -> send(ex, 200, Map.of("sub", "alice", "exp", exp,
                    "rooms", Map.of("game.*", List.of("subscribe", "publish"))));
            case "expired" -> send(ex, 200, Map.of("sub", "alice", "exp", 1, "rooms", Map.of()));
            case "noexp" -> send(ex, 200, Map.of("sub", "alice"));
            case "unavailable" -> send(ex, 503, Map.of());
            case "slow" -> {
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                send(ex, 200, Map.of());
            }
            default -> send(ex, 401, Map.of("error", "bad token"));
        }
    }

    private static void send(HttpExchange ex, int status, Map<String, ?> body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    private static ErrorCode failure(TokenVerifier v, String token) {
        try {
            v.verify(token).join();
        } catch (CompletionException e) {
            return ((SyncException) e.getCause()).code();
        }
        throw new AssertionError("token was accepted");
    }

    @Test
    void aGoodTokenIsAPrincipalAndIsCached() {
        HttpAuthCallout callout = HttpAuthCallout.newBuilder(uri).build();
        Principal p = callout.verify("good").join();
        assertThat(p.user()).isEqualTo("alice");
        assertThat(p.can(Scope.PUBLISH, RoomId.parse("game.7"))).isTrue();
        assertThat(p.can(Scope.PRESENCE, RoomId.parse("game.7"))).isFalse();
        assertThat(lastToken.get()).isEqualTo("good");
        assertThat(callout.verify("good").join()).isEqualTo(p);
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void withoutACacheEveryVerificationAsks() {
        HttpAuthCallout callout = HttpAuthCallout.newBuilder(uri).cacheTtl(Duration.ZERO).build();
        callout.verify("good").join();
        callout.verify("good").join();
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void refusalsAndFailuresHaveTypedCodes() {
        // A generous timeout for answers that come (a loaded CI machine must not turn them into
        // timeouts); the slow service gets its own short one and never answers before it.
        HttpAuthCallout callout = HttpAuthCallout.newBuilder(uri).timeout(Duration.ofSeconds(30)).build();
        assertThat(failure(callout, "bad")).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(failure(callout, "expired")).isEqualTo(ErrorCode.TOKEN_EXPIRED);
        assertThat(failure(callout, "noexp")).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(failure(callout, "unavailable")).isEqualTo(ErrorCode.UNAVAILABLE);
        HttpAuthCallout impatient = HttpAuthCallout.newBuilder(uri).timeout(Duration.ofMillis(300)).build();
        assertThat(failure(impatient, "slow")).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(failure(callout, "")).isEqualTo(ErrorCode.UNAUTHENTICATED);
        // Failures are not cached.
        int before = calls.get();
        assertThat(failure(callout, "bad")).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(calls.get()).isEqualTo(before + 1);
    }

    @Test
    void anUnreachableServiceIsUnavailable() {
        server.stop(0);
        HttpAuthCallout callout = HttpAuthCallout.newBuilder(uri).timeout(Duration.ofMillis(500)).build();
        assertThat(failure(callout, "good")).isEqualTo(ErrorCode.UNAVAILABLE);
    }

    @Test
    void theBuilderValidatesWithTheParameterName() {
        assertThatThrownBy(() -> HttpAuthCallout.newBuilder(URI.create("ftp://x/"))).hasMessageContaining("uri");
        assertThatThrownBy(() -> HttpAuthCallout.newBuilder(uri).timeout(Duration.ZERO)).hasMessageContaining("timeout");
        assertThatThrownBy(() -> HttpAuthCallout.newBuilder(uri).cacheSize(-1)).hasMessageContaining("cacheSize");
        assertThatThrownBy(() -> HttpAuthCallout.newBuilder(uri).cacheTtl(Duration.ofSeconds(-1)))
                .hasMessageContaining("cacheTtl");
    }
}
