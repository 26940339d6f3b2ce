package io.playconnect.broker.memory;

import io.playconnect.core.RoomId;
import io.playconnect.core.spi.Member;
import io.playconnect.core.spi.PresenceStore;
import io.playconnect.core.spi.Subscription;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Presence in memory, for one process. An entry lives for the TTL after its member's last join or its
 * gateway's last heartbeat. Expired entries disappear from {@link #members} at once; a periodic sweep
 * removes them and tells listeners, so a leave is announced at most one sweep interval after the
 * entry expired. Every joined member is followed by exactly one leave, whatever removes it.
 *
 * <p>Listeners of a room are called on the thread that made the change (or the sweeper's), in the
 * order of the changes, under the room's monitor: they must be quick and must not block. All
 * operations complete before they return. {@link #close()} stops the sweeper.
 */
public final class InMemoryPresenceStore implements PresenceStore, AutoCloseable {
    private final Duration ttl;
    private final long ttlMillis;
    private final Clock clock;
    private final HandlerFailures failures = new HandlerFailures();
    private final ConcurrentHashMap<RoomId, RoomPresence> rooms = new ConcurrentHashMap<>();
    private final Sweeper sweeper;

    private InMemoryPresenceStore(Builder b) {
        this.ttl = b.ttl;
        this.ttlMillis = saturatedMillis(b.ttl);
        this.clock = b.clock;
        Duration interval = b.sweepInterval != null ? b.sweepInterval : defaultSweepInterval(b.ttl);
        this.sweeper = new Sweeper("playconnect-presence-sweeper", interval, this::sweep, failures);
    }

    private static long saturatedMillis(Duration d) {
        try {
            return Math.max(1, d.toMillis());
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static Duration defaultSweepInterval(Duration ttl) {
        Duration quarter = ttl.dividedBy(4);
        Duration atLeast = quarter.compareTo(Duration.ofMillis(10)) < 0 ? Duration.ofMillis(10) : quarter;
        return atLeast.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : atLeast;
    }

    /** A builder with a TTL of 15 seconds, the UTC clock, and a sweep every quarter TTL (at most 1 s). */
    public static Builder newBuilder() {
        return new Builder();
    }

    public Duration ttl() {
        return ttl;
    }

    /** How many listener calls have thrown. */
    public long listenerFailures() {
        return failures.count();
    }

    @Override
    public CompletableFuture<Void> join(RoomId room, Member member) {
        return run(() -> {
            Objects.requireNonNull(member, "member");
            return inRoom(room, rp -> {
                rp.join(member, clock.millis());
                return null;
            });
        });
    }

    @Override
    public CompletableFuture<Void> leave(RoomId room, String connectionId) {
        return run(() -> {
            Objects.requireNonNull(connectionId, "connectionId");
            RoomPresence rp = rooms.get(Objects.requireNonNull(room, "room"));
            if (rp != null) {
                synchronized (rp) {
                    rp.remove(connectionId);
                }
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<List<Member>> members(RoomId room) {
        return run(() -> {
            RoomPresence rp = rooms.get(Objects.requireNonNull(room, "room"));
            if (rp == null) {
                return List.of();
            }
            synchronized (rp) {
                return rp.live(clock.millis());
            }
        });
    }

    @Override
    public CompletableFuture<Void> heartbeat(String gatewayId) {
        return run(() -> {
            Objects.requireNonNull(gatewayId, "gatewayId");
            long now = clock.millis();
            for (RoomPresence rp : rooms.values()) {
                synchronized (rp) {
                    rp.refresh(gatewayId, now);
                }
            }
            return null;
        });
    }

    @Override
    public Subscription subscribe(RoomId room, PresenceListener listener) {
        Objects.requireNonNull(listener, "listener");
        return inRoom(room, rp -> rp.subscribe(listener));
    }

    /** Removes expired entries and announces their leaves; the sweeper runs it periodically. */
    void sweep() {
        long now = clock.millis();
        for (RoomPresence rp : rooms.values()) {
            synchronized (rp) {
                rp.expire(now);
                if (rp.isIdle()) {
                    rp.removed = true;
                    rooms.remove(rp.room, rp);
                }
            }
        }
    }

    int rooms() {
        return rooms.size();
    }

    @Override
    public void close() {
        sweeper.close();
    }

    /** Runs {@code action} under the monitor of the room's live state, creating it when needed. */
    private <T> T inRoom(RoomId room, Function<RoomPresence, T> action) {
        Objects.requireNonNull(room, "room");
        while (true) {
            RoomPresence rp = rooms.computeIfAbsent(room, RoomPresence::new);
            synchronized (rp) {
                if (!rp.removed) {
                    return action.apply(rp);
                }
            }
        }
    }

    private static <T> CompletableFuture<T> run(Supplier<T> op) {
        try {
            return CompletableFuture.completedFuture(op.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** One connection's entry. */
    private static final class Entry {
        final Member member;
        long refreshedAt;

        Entry(Member member, long refreshedAt) {
            this.member = member;
            this.refreshedAt = refreshedAt;
        }
    }

    /** The members and listeners of one room; every method runs under this object's monitor. */
    private final class RoomPresence {
        final RoomId room;
        final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
        ListenerSubscription[] listeners = new ListenerSubscription[0];
        boolean removed;

        RoomPresence(RoomId room) {
            this.room = room;
        }

        boolean live(Entry e, long now) {
            return now - e.refreshedAt < ttlMillis;
        }

        void join(Member member, long now) {
            Entry old = entries.put(member.connectionId(), new Entry(member, now));
            if (old != null && live(old, now)) {
                return;
            }
            if (old != null) {
                announce(old.member, false);
            }
            announce(member, true);
        }

        void remove(String connectionId) {
            Entry e = entries.remove(connectionId);
            if (e != null) {
                announce(e.member, false);
            }
        }

        List<Member> live(long now) {
            List<Member> out = new ArrayList<>(entries.size());
            for (Entry e : entries.values()) {
                if (live(e, now)) {
                    out.add(e.member);
                }
            }
            return out;
        }

        void refresh(String gatewayId, long now) {
            for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
                Entry e = it.next();
                if (!e.member.gatewayId().equals(gatewayId)) {
                    continue;
                }
                if (live(e, now)) {
                    e.refreshedAt = now;
                } else {
                    // Too late: the entry is gone, as it would be in a store with real TTLs.
                    it.remove();
                    announce(e.member, false);
                }
            }
        }

        void expire(long now) {
            for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
                Entry e = it.next();
                if (!live(e, now)) {
                    it.remove();
                    announce(e.member, false);
                }
            }
        }

        boolean isIdle() {
            return entries.isEmpty() && listeners.length == 0;
        }

        Subscription subscribe(PresenceListener listener) {
            ListenerSubscription sub = new ListenerSubscription(this, listener);
            listeners = Arrays.copyOf(listeners, listeners.length + 1);
            listeners[listeners.length - 1] = sub;
            return sub;
        }

        void unsubscribe(ListenerSubscription sub) {
            listeners = Arrays.stream(listeners).filter(s -> s != sub).toArray(ListenerSubscription[]::new);
        }

        private void announce(Member member, boolean joined) {
            for (ListenerSubscription s : listeners) {
                s.deliver(room, member, joined);
            }
        }
    }

    private final class ListenerSubscription implements Subscription {
        private final RoomPresence owner;
        private final PresenceListener listener;
        private volatile boolean closed;

        ListenerSubscription(RoomPresence owner, PresenceListener listener) {
            this.owner = owner;
            this.listener = listener;
        }

        void deliver(RoomId room, Member member, boolean joined) {
            if (closed) {
                return;
            }
            try {
                if (joined) {
                    listener.onJoin(room, member);
                } else {
                    listener.onLeave(room, member);
                }
            } catch (Throwable t) {
                failures.record("presence listener of room " + room, t);
            }
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                synchronized (owner) {
                    owner.unsubscribe(this);
                }
            }
        }
    }

    /** Settings of an {@link InMemoryPresenceStore}; every setter checks its argument. */
    public static final class Builder {
        private Duration ttl = Duration.ofSeconds(15);
        private Clock clock = Clock.systemUTC();
        private Duration sweepInterval;

        private Builder() {
        }

        /** How long an entry lives after its last join or heartbeat; default 15 seconds. */
        public Builder ttl(Duration ttl) {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.compareTo(Duration.ofMillis(1)) < 0) {
                throw new IllegalArgumentException("ttl must be at least 1 ms: " + ttl);
            }
            this.ttl = ttl;
            return this;
        }

        /** The clock entries age by; default {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How often expired entries are removed and announced; default a quarter TTL, 10 ms to 1 s. */
        public Builder sweepInterval(Duration sweepInterval) {
            this.sweepInterval = Sweeper.checkInterval(sweepInterval, "sweepInterval");
            return this;
        }

        public InMemoryPresenceStore build() {
            return new InMemoryPresenceStore(this);
        }
    }
}
