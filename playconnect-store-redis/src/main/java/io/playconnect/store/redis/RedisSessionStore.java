package io.playconnect.store.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.playconnect.core.spi.BrokerException;
import io.playconnect.core.spi.BrokerException.Reason;
import io.playconnect.core.spi.SessionStore;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Sessions in Redis: one key per session, {@code {prefix}:session:<sessionId>}, written with
 * {@code SET ... PX <ttl>} so Redis itself expires it. States are opaque bytes. Every operation is
 * one asynchronous command. {@link #close()} closes the connection (and a client of its own).
 */
public final class RedisSessionStore implements SessionStore, AutoCloseable {
    /** Longest session id accepted. */
    public static final int MAX_SESSION_ID_LENGTH = 512;
    private final String base;
    private final RedisClient client;
    private final boolean ownsClient;
    private final Duration timeout;
    private final StatefulRedisConnection<String, byte[]> connection;
    private final RedisAsyncCommands<String, byte[]> redis;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RedisSessionStore(Builder b, RedisClient client, StatefulRedisConnection<String, byte[]> connection) {
        this.base = RedisConnection.keyBase(b.keyPrefix, "session");
        this.client = client;
        this.ownsClient = b.client == null;
        this.timeout = b.commandTimeout;
        this.connection = connection;
        this.redis = connection.async();
    }

    /** A builder: Redis at {@code redis://127.0.0.1:6379}, key prefix {@code pc}. */
    public static Builder newBuilder() {
        return new Builder();
    }

    @Override
    public CompletableFuture<Optional<byte[]>> load(String sessionId) {
        return run("load", () -> redis.get(key(sessionId)).toCompletableFuture().thenApply(Optional::ofNullable));
    }

    @Override
    public CompletableFuture<Void> save(String sessionId, byte[] state, Duration ttl) {
        return run("save", () -> {
            String key = key(sessionId);
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("ttl must be positive: " + ttl);
            }
            return redis.set(key, state.clone(), SetArgs.Builder.px(Math.max(1, saturatedMillis(ttl))))
                    .toCompletableFuture().thenApply(ok -> null);
        });
    }

    @Override
    public CompletableFuture<Void> delete(String sessionId) {
        return run("delete", () -> redis.del(key(sessionId)).toCompletableFuture().thenApply(n -> null));
    }

    private String key(String sessionId) {
        Objects.requireNonNull(sessionId, "sessionId");
        if (sessionId.isEmpty() || sessionId.length() > MAX_SESSION_ID_LENGTH) {
            throw new IllegalArgumentException("sessionId must have 1 to " + MAX_SESSION_ID_LENGTH
                    + " characters: " + sessionId.length());
        }
        return base + sessionId;
    }

    private static long saturatedMillis(Duration d) {
        try {
            return d.toMillis();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private <T> CompletableFuture<T> run(String what, Supplier<CompletableFuture<T>> op) {
        try {
            if (closed.get()) {
                throw new BrokerException(Reason.UNAVAILABLE, "the session store is closed");
            }
            return op.get().handle((v, err) -> {
                if (err != null) {
                    throw new CompletionException(RedisConnection.map(err, "session " + what));
                }
                return v;
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            connection.close();
            if (ownsClient) {
                client.shutdown(Duration.ZERO, timeout);
            }
        }
    }

    /** Settings of a {@link RedisSessionStore}; every setter checks its argument and names it. */
    public static final class Builder {
        private String uri = RedisConnection.DEFAULT_URI;
        private RedisClient client;
        private String keyPrefix = "pc";
        private Duration commandTimeout = RedisConnection.DEFAULT_TIMEOUT;

        private Builder() {
        }

        /** Where Redis is, {@code redis://host:port[/db]}; default {@code redis://127.0.0.1:6379}. */
        public Builder uri(String uri) {
            this.uri = RedisConnection.checkUri(uri);
            return this;
        }

        /** A client whose resources and options to share (not shut down on close); default: a client of its own. */
        public Builder client(RedisClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /** Goes before every key, so deployments share a Redis; default {@code pc}. */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = RedisConnection.checkPrefix(keyPrefix);
            return this;
        }

        /** How long a command may take; default 5 seconds. */
        public Builder commandTimeout(Duration commandTimeout) {
            this.commandTimeout = RedisConnection.checkPositive("commandTimeout", commandTimeout);
            return this;
        }

        /** Connects; fails with {@link Reason#UNAVAILABLE} when Redis cannot be reached. */
        public RedisSessionStore build() {
            RedisClient c = client != null ? client : RedisConnection.newClient(uri, commandTimeout);
            try {
                RedisCodec<String, byte[]> codec = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
                StatefulRedisConnection<String, byte[]> conn = c.connect(codec, RedisURI.create(uri));
                return new RedisSessionStore(this, c, conn);
            } catch (RuntimeException e) {
                if (client == null) {
                    c.shutdown(Duration.ZERO, Duration.ofSeconds(1));
                }
                throw RedisConnection.unreachable(uri, e);
            }
        }
    }
}
