package io.playconnect.store.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.playconnect.core.RoomId;
import io.playconnect.core.spi.BrokerException;
import io.playconnect.core.spi.BrokerException.Reason;
import io.playconnect.core.spi.Member;
import io.playconnect.core.spi.PresenceStore;
import io.playconnect.core.spi.Subscription;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Presence in Redis, shared by every gateway that uses the same Redis and key prefix. See the
 * package documentation for the layout and {@link PresenceScripts} for the keys.
 *
 * <p>An entry lives for the TTL after its member's last join or its gateway's last heartbeat,
 * measured on the Redis server's clock. Expired entries drop out of {@link #members} at once; each
 * store's sweeper removes them and publishes their leaves, so a leave is heard at most one sweep
 * interval after the entry expired, by every listener of the room in every process. Each change is
 * one atomic script, so every joined member is followed by exactly one leave, whoever removes it.
 * {@link #close()} stops the sweeper and closes the connections (not a client passed in).
 */
public final class RedisPresenceStore implements PresenceStore, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RedisPresenceStore.class.getName());
    private static final int SWEEP_BATCH = 256;
    private final String base;
    private final String[] keys;
    private final Duration ttl;
    private final Duration timeout;
    private final RedisClient client;
    private final boolean ownsClient;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> redis;
    private final StatefulRedisPubSubConnection<String, String> pubsub;
    private final PresenceChannels channels;
    private final ScheduledExecutorService sweeper;
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private RedisPresenceStore(Builder b, RedisClient client, StatefulRedisConnection<String, String> connection,
                               StatefulRedisPubSubConnection<String, String> pubsub) {
        this.base = RedisConnection.keyBase(b.keyPrefix, "presence");
        this.keys = new String[] {base + "expiries"};
        this.ttl = b.ttl;
        this.timeout = b.commandTimeout;
        this.client = client;
        this.ownsClient = b.client == null;
        this.connection = connection;
        this.redis = connection.async();
        this.pubsub = pubsub;
        this.channels = new PresenceChannels(pubsub);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "playconnect-redis-presence-sweeper");
            t.setDaemon(true);
            return t;
        });
        long every = (b.sweepInterval != null ? b.sweepInterval : defaultSweepInterval(ttl)).toMillis();
        sweeper.scheduleWithFixedDelay(this::sweep, every, Math.max(1, every), TimeUnit.MILLISECONDS);
    }

    private static Duration defaultSweepInterval(Duration ttl) {
        Duration quarter = ttl.dividedBy(4);
        Duration atLeast = quarter.compareTo(Duration.ofMillis(10)) < 0 ? Duration.ofMillis(10) : quarter;
        return atLeast.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : atLeast;
    }

    /** A builder: Redis at {@code redis://127.0.0.1:6379}, key prefix {@code pc}, TTL 15 seconds. */
    public static Builder newBuilder() {
        return new Builder();
    }

    public Duration ttl() {
        return ttl;
    }

    /** How many listener calls have thrown. */
    public long listenerFailures() {
        return channels.failures();
    }

    @Override
    public CompletableFuture<Void> join(RoomId room, Member member) {
        return run("join", () -> {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(member, "member");
            return PresenceScripts.JOIN.<Long>run(redis, keys, base, room.value(), member.connectionId(),
                    MemberCodec.encode(member), member.gatewayId(), Long.toString(ttlMillis()));
        });
    }

    @Override
    public CompletableFuture<Void> leave(RoomId room, String connectionId) {
        return run("leave", () -> {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(connectionId, "connectionId");
            return PresenceScripts.LEAVE.<Long>run(redis, keys, base, room.value(), connectionId);
        });
    }

    @Override
    public CompletableFuture<List<Member>> members(RoomId room) {
        try {
            Objects.requireNonNull(room, "room");
            checkOpen();
            return PresenceScripts.MEMBERS.<List<Object>>run(redis, keys, base, room.value())
                    .handle((encoded, err) -> {
                        if (err != null) {
                            throw new CompletionException(RedisConnection.map(err, "members"));
                        }
                        List<Member> out = new ArrayList<>(encoded.size());
                        for (Object e : encoded) {
                            out.add(MemberCodec.decode(String.valueOf(e)));
                        }
                        return out;
                    });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<Void> heartbeat(String gatewayId) {
        return run("heartbeat", () -> {
            Objects.requireNonNull(gatewayId, "gatewayId");
            return PresenceScripts.HEARTBEAT.<Long>run(redis, keys, base, gatewayId, Long.toString(ttlMillis()));
        });
    }

    /**
     * Listens to the room's channel. Waits (at most the command timeout) until Redis confirmed the
     * subscription, so that every change published after this returns is heard.
     */
    @Override
    public Subscription subscribe(RoomId room, PresenceListener listener) {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(listener, "listener");
        checkOpen();
        PresenceChannels.Added added = channels.add(base + "events:" + room.value(), room, listener);
        try {
            added.subscribed().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return added.listener();
        } catch (ExecutionException | TimeoutException e) {
            added.listener().close();
            throw new BrokerException(Reason.UNAVAILABLE, "Redis did not confirm the subscription to room " + room, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            added.listener().close();
            throw new BrokerException(Reason.UNAVAILABLE, "interrupted while subscribing to room " + room, e);
        }
    }

    /** Removes expired entries and publishes their leaves; the sweeper runs it periodically. */
    void sweep() {
        if (closed.get() || !sweeping.compareAndSet(false, true)) {
            return;
        }
        PresenceScripts.SWEEP.<Long>run(redis, keys, base, Integer.toString(SWEEP_BATCH)).whenComplete((n, err) -> {
            sweeping.set(false);
            if (err != null) {
                LOG.log(System.Logger.Level.WARNING, "presence sweep failed", err);
            } else if (n != null && n >= SWEEP_BATCH && !closed.get()) {
                sweeper.execute(this::sweep);
            }
        });
    }

    private long ttlMillis() {
        return Math.max(1, ttl.toMillis());
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new BrokerException(Reason.UNAVAILABLE, "the presence store is closed");
        }
    }

    private CompletableFuture<Void> run(String what, Supplier<CompletableFuture<Long>> op) {
        try {
            checkOpen();
            return op.get().handle((v, err) -> {
                if (err != null) {
                    throw new CompletionException(RedisConnection.map(err, what));
                }
                return null;
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        sweeper.shutdownNow();
        pubsub.close();
        connection.close();
        if (ownsClient) {
            client.shutdown(Duration.ZERO, timeout);
        }
    }

    /** Settings of a {@link RedisPresenceStore}; every setter checks its argument and names it. */
    public static final class Builder {
        private String uri = RedisConnection.DEFAULT_URI;
        private RedisClient client;
        private String keyPrefix = "pc";
        private Duration ttl = Duration.ofSeconds(15);
        private Duration sweepInterval;
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

        /** Goes before every key and channel, so deployments share a Redis; default {@code pc}. */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = RedisConnection.checkPrefix(keyPrefix);
            return this;
        }

        /** How long an entry lives after its last join or heartbeat, at least 1 ms; default 15 seconds. */
        public Builder ttl(Duration ttl) {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.compareTo(Duration.ofMillis(1)) < 0) {
                throw new IllegalArgumentException("ttl must be at least 1 ms: " + ttl);
            }
            this.ttl = ttl;
            return this;
        }

        /** How often expired entries are removed and announced; default a quarter TTL, 10 ms to 1 s. */
        public Builder sweepInterval(Duration sweepInterval) {
            RedisConnection.checkPositive("sweepInterval", sweepInterval);
            if (sweepInterval.compareTo(Duration.ofMillis(1)) < 0) {
                throw new IllegalArgumentException("sweepInterval must be at least 1 ms: " + sweepInterval);
            }
            this.sweepInterval = sweepInterval;
            return this;
        }

        /** How long a command may take; default 5 seconds. */
        public Builder commandTimeout(Duration commandTimeout) {
            this.commandTimeout = RedisConnection.checkPositive("commandTimeout", commandTimeout);
            return this;
        }

        /** Connects; fails with {@link Reason#UNAVAILABLE} when Redis cannot be reached. */
        public RedisPresenceStore build() {
            RedisClient c = client != null ? client : RedisConnection.newClient(uri, commandTimeout);
            try {
                StatefulRedisConnection<String, String> conn = c.connect(RedisURI.create(uri));
                StatefulRedisPubSubConnection<String, String> ps = c.connectPubSub(RedisURI.create(uri));
                return new RedisPresenceStore(this, c, conn, ps);
            } catch (RuntimeException e) {
                if (client == null) {
                    c.shutdown(Duration.ZERO, Duration.ofSeconds(1));
                }
                throw RedisConnection.unreachable(uri, e);
            }
        }
    }
}
