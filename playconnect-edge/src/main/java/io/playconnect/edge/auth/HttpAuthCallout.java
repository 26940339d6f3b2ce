package io.playconnect.edge.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.SyncException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Asks the application's auth service about a token: POSTs {@code {"token": "..."}} as JSON and
 * expects {@code {"sub": "...", "rooms": {...}, "exp": <seconds>}}. A 4xx answer is
 * {@link ErrorCode#UNAUTHENTICATED}; a 5xx answer, a network error or a timeout is
 * {@link ErrorCode#UNAVAILABLE} (a service being deployed must not make clients throw their
 * tokens away). Positive answers are cached briefly (never past the token's exp), keyed by the
 * token's SHA-256, in a bounded LRU.
 */
public final class HttpAuthCallout implements TokenVerifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_RESPONSE_BYTES = 64 * 1024;

    private final URI uri;
    private final Duration timeout;
    private final Duration cacheTtl;
    private final Clock clock;
    private final HttpClient client;
    private final Map<String, Cached> cache;

    private HttpAuthCallout(Builder b) {
        this.uri = b.uri;
        this.timeout = b.timeout;
        this.cacheTtl = b.cacheTtl;
        this.clock = b.clock;
        this.client = b.httpClient != null ? b.httpClient
                : HttpClient.newBuilder().connectTimeout(b.timeout).build();
        int max = b.cacheSize;
        this.cache = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                return size() > max;
            }
        };
    }

    public static Builder newBuilder(URI uri) {
        return new Builder(uri);
    }

    @Override
    public CompletableFuture<Principal> verify(String token) {
        if (token == null || token.isEmpty() || token.length() > JwtTokenVerifier.MAX_TOKEN_LENGTH) {
            return CompletableFuture.failedFuture(new SyncException(ErrorCode.UNAUTHENTICATED,
                    "token is missing or longer than " + JwtTokenVerifier.MAX_TOKEN_LENGTH + " characters"));
        }
        String key = digest(token);
        Principal hit = cached(key);
        if (hit != null) {
            return CompletableFuture.completedFuture(hit);
        }
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(uri).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(Map.of("token", token))))
                    .build();
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new SyncException(ErrorCode.INTERNAL, "cannot encode request"));
        }
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, error) -> {
                    if (error != null) {
                        throw new SyncException(ErrorCode.UNAVAILABLE, "auth service unreachable: " + error);
                    }
                    Principal principal = answer(response);
                    remember(key, principal);
                    return principal;
                });
    }

    private Principal answer(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (status >= 500) {
            throw new SyncException(ErrorCode.UNAVAILABLE, "auth service failed (HTTP " + status + ")");
        }
        if (status < 200 || status > 299) {
            throw new SyncException(ErrorCode.UNAUTHENTICATED, "auth service refused the token (HTTP " + status + ")");
        }
        byte[] body = response.body();
        if (body == null || body.length > MAX_RESPONSE_BYTES) {
            throw new SyncException(ErrorCode.UNAVAILABLE, "auth service answer is empty or too large");
        }
        Map<?, ?> map;
        try {
            map = JSON.readValue(body, Map.class);
        } catch (IOException e) {
            throw new SyncException(ErrorCode.UNAVAILABLE, "auth service answer is not a JSON object");
        }
        if (!(map.get("exp") instanceof Number exp)) {
            throw new SyncException(ErrorCode.UNAUTHENTICATED, "auth service answer lacks exp");
        }
        Instant expiresAt = Instant.ofEpochSecond(exp.longValue());
        Principal principal = Grants.principal(map.get("sub"), map.get("rooms"), expiresAt);
        if (!clock.instant().isBefore(expiresAt)) {
            throw new SyncException(ErrorCode.TOKEN_EXPIRED, "token expired at " + expiresAt);
        }
        return principal;
    }

    private Principal cached(String key) {
        synchronized (cache) {
            Cached c = cache.get(key);
            if (c == null) {
                return null;
            }
            if (clock.instant().isBefore(c.until)) {
                return c.principal;
            }
            cache.remove(key);
            return null;
        }
    }

    private void remember(String key, Principal principal) {
        Instant until = clock.instant().plus(cacheTtl);
        if (principal.expiresAt().isBefore(until)) {
            until = principal.expiresAt();
        }
        synchronized (cache) {
            cache.put(key, new Cached(principal, until));
        }
    }

    private static String digest(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private record Cached(Principal principal, Instant until) {
    }

    /** Builder; defaults: 2 s timeout, 30 s cache TTL, 10,000 cached tokens, system UTC clock. */
    public static final class Builder {
        private final URI uri;
        private Duration timeout = Duration.ofSeconds(2);
        private Duration cacheTtl = Duration.ofSeconds(30);
        private int cacheSize = 10_000;
        private Clock clock = Clock.systemUTC();
        private HttpClient httpClient;

        private Builder(URI uri) {
            Objects.requireNonNull(uri, "uri");
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException("uri must be http or https: " + uri);
            }
            this.uri = uri;
        }

        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Zero disables the cache. */
        public Builder cacheTtl(Duration ttl) {
            Objects.requireNonNull(ttl, "cacheTtl");
            if (ttl.isNegative()) {
                throw new IllegalArgumentException("cacheTtl must not be negative: " + ttl);
            }
            this.cacheTtl = ttl;
            return this;
        }

        public Builder cacheSize(int size) {
            if (size < 0) {
                throw new IllegalArgumentException("cacheSize must be >= 0: " + size);
            }
            this.cacheSize = size;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder httpClient(HttpClient client) {
            this.httpClient = Objects.requireNonNull(client, "httpClient");
            return this;
        }

        public HttpAuthCallout build() {
            return new HttpAuthCallout(this);
        }
    }
}
