package io.playconnect.broker.memory;

import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.BrokerException;
import io.playconnect.core.spi.KeyValue;
import io.playconnect.core.spi.KeyValueConfig;
import io.playconnect.core.spi.Message;
import io.playconnect.core.spi.MessageHandler;
import io.playconnect.core.spi.RoomLog;
import io.playconnect.core.spi.RoomLogConfig;
import io.playconnect.core.spi.Subscription;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-process {@link Broker}: everything in one JVM, nothing to install.
 *
 * <p><b>Threads.</b> {@link #publish} and {@link #request} call matching handlers synchronously on
 * the caller's thread, in subscription order; that is the fastest delivery inside one process, and
 * it is why handlers must be quick and must never block. A reply given with
 * {@link Message#respond} completes the request's future on the responder's thread; a timeout
 * completes it on the broker's timer thread. Room log and key-value operations complete before they
 * return; a stored record reaches the room's live listeners on the appending thread, in seq order,
 * before the append's future completes. A handler or listener that throws is counted ({@link #handlerFailures()}) and logged, and
 * delivery to the others goes on.
 *
 * <p><b>Data.</b> Message and record arrays are passed by reference, never copied: a publisher must
 * not change an array after handing it over. Key-value values are copied.
 *
 * <p>Build one with {@link #newBuilder()}, or {@link #create()} for the defaults. One broker owns one
 * daemon thread (request timeouts and housekeeping); {@link #close()} stops it and fails whatever is
 * still waiting with {@link BrokerException.Reason#UNAVAILABLE}.
 */
public final class InMemoryBroker implements Broker {
    /** Largest message by default: 1 MiB, as NATS. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 1 << 20;
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    static final long HOUSEKEEPING_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int MATCH_CACHE_LIMIT = 16_384;
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final RoomLogConfig roomLogConfig;
    private final int maxMessageSize;
    private final Clock clock;
    private final OpenGuard guard = new OpenGuard();
    private final HandlerFailures failures = new HandlerFailures();
    private final SubjectTrie trie = new SubjectTrie(MATCH_CACHE_LIMIT);
    private final Inboxes inboxes = new Inboxes();
    private final AtomicLong requestIds = new AtomicLong();
    private final InMemoryRoomLog roomLog;
    private final ConcurrentHashMap<String, InMemoryKeyValue> buckets = new ConcurrentHashMap<>();
    private final RequestTimer timer;

    private InMemoryBroker(Builder b) {
        this.roomLogConfig = b.roomLogConfig;
        this.maxMessageSize = b.maxMessageSize;
        this.clock = b.clock;
        this.roomLog = new InMemoryRoomLog(roomLogConfig, clock, maxMessageSize, guard, failures);
        this.timer = new RequestTimer("playconnect-broker-memory-" + INSTANCES.incrementAndGet(), TICK_NANOS,
                HOUSEKEEPING_NANOS, this::housekeeping, failures);
    }

    /** A builder with the defaults: {@link RoomLogConfig#defaults()}, 1 MiB messages, the UTC clock. */
    public static Builder newBuilder() {
        return new Builder();
    }

    /** A broker with the defaults. */
    public static InMemoryBroker create() {
        return newBuilder().build();
    }

    /** A builder with this broker's settings, for another, independent broker. */
    public Builder toBuilder() {
        return new Builder().roomLogConfig(roomLogConfig).maxMessageSize(maxMessageSize).clock(clock);
    }

    public RoomLogConfig roomLogConfig() {
        return roomLogConfig;
    }

    public Clock clock() {
        return clock;
    }

    @Override
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /** How many handler or listener calls have thrown since the broker started. */
    public long handlerFailures() {
        return failures.count();
    }

    @Override
    public void publish(String subject, byte[] data) {
        guard.check();
        checkSize(data);
        Objects.requireNonNull(subject, "subject");
        if (subject.startsWith(Inboxes.INBOX)) {
            publishToInbox(subject, data);
            return;
        }
        Match match = trie.match(subject);
        if (!match.isEmpty()) {
            match.deliver(new InMemoryMessage(subject, data, null, this));
        }
    }

    private void publishToInbox(String subject, byte[] data) {
        Match match = trie.matchUncached(subject);
        PendingRequest request = inboxes.find(subject);
        if (request != null) {
            request.complete(new InMemoryMessage.Reply(request, data));
        }
        if (!match.isEmpty()) {
            match.deliver(new InMemoryMessage(subject, data, null, this));
        }
    }

    @Override
    public Subscription subscribe(String subject, MessageHandler handler) {
        return subscribe(subject, null, handler);
    }

    @Override
    public Subscription subscribe(String subject, String queueGroup, MessageHandler handler) {
        String[] tokens = SubjectSyntax.patternTokens(subject);
        SubjectSyntax.queueGroup(queueGroup);
        Objects.requireNonNull(handler, "handler");
        guard.check();
        MemorySubscription sub = new MemorySubscription(tokens, queueGroup, handler, trie, failures);
        trie.add(sub);
        if (guard.isClosed()) {
            sub.close();
        }
        return sub;
    }

    @Override
    public CompletableFuture<Message> request(String subject, byte[] data, Duration timeout) {
        try {
            long timeoutNanos = timeoutNanos(timeout);
            guard.check();
            checkSize(data);
            Match match = trie.match(Objects.requireNonNull(subject, "subject"));
            if (match.isEmpty()) {
                return CompletableFuture.failedFuture(noResponders(subject));
            }
            CompletableFuture<Message> future = new CompletableFuture<>();
            PendingRequest request = new PendingRequest(requestIds.incrementAndGet(), subject,
                    System.nanoTime() + timeoutNanos, timeoutNanos, inboxes, future);
            if (match.deliver(new InMemoryMessage(subject, data, request, this)) == 0) {
                request.fail(noResponders(subject));
            } else if (!request.isDone()) {
                timer.watch(request);
            }
            return future;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Answers {@code request} on the calling thread; a reply after the first is ignored. */
    void reply(PendingRequest request, byte[] data) {
        checkSize(data);
        request.complete(new InMemoryMessage.Reply(request, data));
    }

    private static long timeoutNanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }

    private static BrokerException noResponders(String subject) {
        return new BrokerException(BrokerException.Reason.NO_RESPONDERS, "nobody is subscribed to " + subject);
    }

    private void checkSize(byte[] data) {
        Objects.requireNonNull(data, "data");
        if (data.length > maxMessageSize) {
            throw new BrokerException(BrokerException.Reason.TOO_LARGE, "message of " + data.length
                    + " bytes exceeds the broker's maximum of " + maxMessageSize);
        }
    }

    @Override
    public RoomLog roomLog() {
        return roomLog;
    }

    /**
     * The bucket named in {@code config}, created on first use. Binding an existing bucket keeps the
     * TTL and value size it was created with, and shares its data.
     */
    @Override
    public KeyValue keyValue(KeyValueConfig config) {
        Objects.requireNonNull(config, "config");
        guard.check();
        return buckets.computeIfAbsent(config.bucket(), b -> new InMemoryKeyValue(config, maxMessageSize, clock, guard));
    }

    /** Frees expired records and entries; the timer thread runs it every second. */
    void housekeeping() {
        roomLog.trimExpired();
        buckets.values().forEach(InMemoryKeyValue::removeExpired);
    }

    /** Requests the timer still watches; for tests. */
    int watchedRequests() {
        return timer.queued();
    }

    /** Requests whose reply subject was named and that still wait; for tests. */
    int namedInboxes() {
        return inboxes.named();
    }

    /** Subjects whose match is cached; for tests. */
    int cachedSubjects() {
        return trie.cachedSubjects();
    }

    @Override
    public void close() {
        if (guard.close()) {
            trie.clear().forEach(MemorySubscription::markClosed);
            timer.close();
        }
    }

    @Override
    public String toString() {
        return "InMemoryBroker[maxMessageSize=" + maxMessageSize + ", rooms=" + roomLog.rooms()
                + ", buckets=" + buckets.size() + (guard.isClosed() ? ", closed]" : "]");
    }

    /** Settings of an {@link InMemoryBroker}; every setter checks its argument. */
    public static final class Builder {
        private RoomLogConfig roomLogConfig = RoomLogConfig.defaults();
        private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Retention of room logs; default {@link RoomLogConfig#defaults()}. */
        public Builder roomLogConfig(RoomLogConfig roomLogConfig) {
            this.roomLogConfig = Objects.requireNonNull(roomLogConfig, "roomLogConfig");
            return this;
        }

        /** Largest message, record or value in bytes; default {@link #DEFAULT_MAX_MESSAGE_SIZE}. */
        public Builder maxMessageSize(int maxMessageSize) {
            if (maxMessageSize < 1) {
                throw new IllegalArgumentException("maxMessageSize must be >= 1: " + maxMessageSize);
            }
            this.maxMessageSize = maxMessageSize;
            return this;
        }

        /** The clock for record ages and key-value TTLs; default {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public InMemoryBroker build() {
            return new InMemoryBroker(this);
        }
    }
}
