package io.playconnect.broker.memory;

import io.playconnect.core.spi.SessionStore;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Sessions in memory, for one process. A session expires {@code ttl} after its last save: it loads as
 * absent at once, and a periodic sweep frees it. States are copied in and out. All operations
 * complete before they return. {@link #close()} stops the sweeper.
 */
public final class InMemorySessionStore implements SessionStore, AutoCloseable {
    /** Longest session id accepted. */
    public static final int MAX_SESSION_ID_LENGTH = 512;
    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> sessions = new ConcurrentHashMap<>();
    private final Sweeper sweeper;

    private record Entry(byte[] state, long expiresAt) {
    }

    private InMemorySessionStore(Builder b) {
        this.clock = b.clock;
        this.sweeper = new Sweeper("playconnect-session-sweeper", b.sweepInterval, this::sweep, new HandlerFailures());
    }

    /** A builder with the UTC clock and a sweep every 10 seconds. */
    public static Builder newBuilder() {
        return new Builder();
    }

    @Override
    public CompletableFuture<Optional<byte[]>> load(String sessionId) {
        return run(() -> {
            checkId(sessionId);
            Entry e = sessions.get(sessionId);
            if (e == null) {
                return Optional.empty();
            }
            if (expired(e, clock.millis())) {
                sessions.remove(sessionId, e);
                return Optional.empty();
            }
            return Optional.of(e.state.clone());
        });
    }

    @Override
    public CompletableFuture<Void> save(String sessionId, byte[] state, Duration ttl) {
        return run(() -> {
            checkId(sessionId);
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("ttl must be positive: " + ttl);
            }
            long now = clock.millis();
            long ttlMillis = Math.max(1, saturatedMillis(ttl));
            long expiresAt = now + ttlMillis < now ? Long.MAX_VALUE : now + ttlMillis;
            sessions.put(sessionId, new Entry(state.clone(), expiresAt));
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> delete(String sessionId) {
        return run(() -> {
            checkId(sessionId);
            sessions.remove(sessionId);
            return null;
        });
    }

    /** Frees expired sessions; the sweeper runs it periodically. */
    void sweep() {
        long now = clock.millis();
        sessions.values().removeIf(e -> expired(e, now));
    }

    int size() {
        return sessions.size();
    }

    @Override
    public void close() {
        sweeper.close();
    }

    private static boolean expired(Entry e, long now) {
        return now >= e.expiresAt;
    }

    private static long saturatedMillis(Duration d) {
        try {
            return d.toMillis();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static void checkId(String sessionId) {
        Objects.requireNonNull(sessionId, "sessionId");
        if (sessionId.isEmpty() || sessionId.length() > MAX_SESSION_ID_LENGTH) {
            throw new IllegalArgumentException("sessionId must have 1 to " + MAX_SESSION_ID_LENGTH
                    + " characters: " + sessionId.length());
        }
    }

    private static <T> CompletableFuture<T> run(Supplier<T> op) {
        try {
            return CompletableFuture.completedFuture(op.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Settings of an {@link InMemorySessionStore}; every setter checks its argument. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private Duration sweepInterval = Duration.ofSeconds(10);

        private Builder() {
        }

        /** The clock sessions age by; default {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How often expired sessions are freed; default 10 seconds. */
        public Builder sweepInterval(Duration sweepInterval) {
            this.sweepInterval = Sweeper.checkInterval(sweepInterval, "sweepInterval");
            return this;
        }

        public InMemorySessionStore build() {
            return new InMemorySessionStore(this);
        }
    }
}
