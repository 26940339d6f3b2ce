package io.playconnect.store.mvstore;

import io.playconnect.broker.memory.InMemoryBroker;
import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.BrokerException;
import io.playconnect.core.spi.KeyValue;
import io.playconnect.core.spi.KeyValueConfig;
import io.playconnect.core.spi.Message;
import io.playconnect.core.spi.MessageHandler;
import io.playconnect.core.spi.RoomLog;
import io.playconnect.core.spi.RoomLogConfig;
import io.playconnect.core.spi.Subscription;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The embedded {@link Broker} with durable storage in a data directory: room logs and key-value
 * buckets without a TTL are kept in the H2 MVStore file {@value #FILE_NAME}; subjects, queue groups,
 * request-reply and buckets with a TTL (leases) are those of an {@link InMemoryBroker} inside.
 *
 * <p><b>Durability.</b> An append or a key-value write completes only after the batch holding it was
 * committed and the file forced to disk ({@link java.nio.channels.FileChannel#force}); batches form
 * on their own while a sync runs (group commit). Room logs keep their epochs and seqs across
 * restarts. A crash loses at most writes that had not completed.
 *
 * <p><b>Threads.</b> One writer thread per broker applies every change and then completes the
 * futures and delivers stored records to live subscribers, in seq order per room: callbacks run on
 * it and must be quick. Reads run on the caller's thread and see durable state only (key-value
 * reads may see a write that is being synced).
 *
 * <p>One process at a time: the file is locked while open, and a second broker on the same directory
 * fails with {@link BrokerException.Reason#UNAVAILABLE}. Build one with {@link #newBuilder()};
 * {@link #close()} writes what is queued and releases the file.
 */
public final class MvStoreBroker implements Broker {
    /** The store's file in the data directory. */
    public static final String FILE_NAME = "playconnect.mv.db";
    private static final System.Logger LOG = System.getLogger(MvStoreBroker.class.getName());
    private static final long HOUSEKEEPING_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * How long an emptied chunk of the file is kept before its space is reused. MVStore's default
     * (45 s) covers file systems that flush late; every commit here is forced to disk before the
     * next one, so a short wait is enough, and the file stays near its live size under load.
     */
    static final int RETENTION_MILLIS = 2_000;

    private final Path directory;
    private final InMemoryBroker live;
    private final MVStore store;
    private final GroupCommitWriter writer;
    private final MvStoreRoomLog roomLog;
    private final MVMap<String, byte[]> bucketDirectory;
    private final ConcurrentHashMap<String, MvStoreKeyValue> buckets = new ConcurrentHashMap<>();
    private final AtomicLong listenerFailures = new AtomicLong();
    private final Clock clock;
    private final int maxMessageSize;
    private volatile boolean closed;

    private MvStoreBroker(Builder b) {
        this.directory = b.directory;
        this.clock = b.clock;
        this.maxMessageSize = b.maxMessageSize;
        this.store = open(b.directory);
        try {
            this.live = InMemoryBroker.newBuilder().roomLogConfig(b.roomLogConfig).maxMessageSize(b.maxMessageSize)
                    .clock(b.clock).build();
            this.bucketDirectory = store.openMap("buckets");
            this.roomLog = new MvStoreRoomLog(store, b.roomLogConfig, b.clock, b.maxMessageSize, this::submit,
                    this::checkOpen, this::listenerFailed);
        } catch (RuntimeException e) {
            store.closeImmediately();
            throw unavailable("cannot read the store in " + b.directory, e);
        }
        this.writer = new GroupCommitWriter(store, "playconnect-mvstore-writer", b.maxBatch, HOUSEKEEPING_NANOS,
                this::housekeeping);
    }

    /** Writer thread, once a second: expired records out. */
    private void housekeeping() {
        roomLog.trimExpired();
    }

    private static MVStore open(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException | RuntimeException e) {
            throw unavailable("cannot create the data directory " + directory, e);
        }
        if (!Files.isWritable(directory)) {
            throw new BrokerException(BrokerException.Reason.UNAVAILABLE, "the data directory " + directory
                    + " is not writable");
        }
        try {
            // MVStore's background thread stays on: it frees and compacts chunks. It may also write
            // changes early, even half of one operation; that is harmless because acks wait for this
            // broker's own commit and sync, and each operation orders its writes so that any prefix
            // of them is a state the store reads correctly.
            MVStore store = new MVStore.Builder().fileName(directory.resolve(FILE_NAME).toString()).open();
            store.setRetentionTime(RETENTION_MILLIS);
            return store;
        } catch (MVStoreException e) {
            String why = e.getErrorCode() == org.h2.mvstore.DataUtils.ERROR_FILE_LOCKED
                    ? "is in use by another process" : "cannot be opened";
            throw unavailable("the store in " + directory + " " + why, e);
        }
    }

    private static BrokerException unavailable(String message, Throwable cause) {
        return new BrokerException(BrokerException.Reason.UNAVAILABLE, message + ": " + cause.getMessage(), cause);
    }

    public static Builder newBuilder() {
        return new Builder();
    }

    /** A builder with this broker's settings, for another broker (on another directory). */
    public Builder toBuilder() {
        return new Builder().directory(directory).roomLogConfig(live.roomLogConfig()).maxMessageSize(maxMessageSize)
                .clock(clock);
    }

    public Path directory() {
        return directory;
    }

    public RoomLogConfig roomLogConfig() {
        return live.roomLogConfig();
    }

    /** How many batches were committed and forced to disk since the broker opened. */
    public long syncs() {
        return writer.syncs();
    }

    /** How many writes (appends, resets, key-value writes) were applied since the broker opened. */
    public long writes() {
        return writer.opsWritten();
    }

    @Override
    public int maxMessageSize() {
        return maxMessageSize;
    }

    @Override
    public void publish(String subject, byte[] data) {
        live.publish(subject, data);
    }

    @Override
    public Subscription subscribe(String subject, MessageHandler handler) {
        return live.subscribe(subject, handler);
    }

    @Override
    public Subscription subscribe(String subject, String queueGroup, MessageHandler handler) {
        return live.subscribe(subject, queueGroup, handler);
    }

    @Override
    public CompletableFuture<Message> request(String subject, byte[] data, Duration timeout) {
        return live.request(subject, data, timeout);
    }

    @Override
    public RoomLog roomLog() {
        return roomLog;
    }

    /**
     * The bucket named in {@code config}. A bucket with a TTL holds what a restart must forget
     * (partition leases of processes that no longer exist), so it is kept in memory; every other
     * bucket is durable. Binding an existing durable bucket keeps the value size it was created with.
     */
    @Override
    public KeyValue keyValue(KeyValueConfig config) {
        Objects.requireNonNull(config, "config");
        checkOpen();
        if (!config.ttl().isZero()) {
            return live.keyValue(config);
        }
        return buckets.computeIfAbsent(config.bucket(), name -> new MvStoreKeyValue(store, bucketDirectory, name,
                Math.min(config.maxValueSize(), maxMessageSize), clock, this::submit, this::checkOpen));
    }

    /** Queues a change for the writer thread; package-private for tests that hold the writer. */
    void submit(WriteOp op) {
        writer.submit(op);
    }

    private void checkOpen() {
        if (closed) {
            throw new BrokerException(BrokerException.Reason.UNAVAILABLE, "broker closed");
        }
        BrokerException failed = writer == null ? null : writer.refusal();
        if (failed != null) {
            throw failed;
        }
    }

    private void listenerFailed(String where, Throwable t) {
        long n = listenerFailures.incrementAndGet();
        if (Long.bitCount(n) == 1) {
            LOG.log(Level.WARNING, "A " + where + " threw (" + n + " failure(s) so far); delivery to others goes on", t);
        }
    }

    /** How many record listener calls have thrown since the broker opened. */
    public long listenerFailures() {
        return listenerFailures.get();
    }

    /** Writes what is queued, closes the file and the in-process broker. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        writer.close();
        live.close();
    }

    /** Stops as a crash would: no final commit, the file is released with what was synced. For tests. */
    void crash() {
        closed = true;
        writer.abandon();
        live.close();
    }

    @Override
    public String toString() {
        return "MvStoreBroker[" + directory + ", rooms=" + roomLog.rooms() + ", buckets=" + buckets.size()
                + (closed ? ", closed]" : "]");
    }

    /** Settings of an {@link MvStoreBroker}; every setter checks its argument. */
    public static final class Builder {
        private Path directory;
        private RoomLogConfig roomLogConfig = RoomLogConfig.defaults();
        private int maxMessageSize = InMemoryBroker.DEFAULT_MAX_MESSAGE_SIZE;
        private Clock clock = Clock.systemUTC();
        private int maxBatch = 4096;

        private Builder() {
        }

        /** The data directory (required); created when missing. */
        public Builder directory(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** Retention of room logs; default {@link RoomLogConfig#defaults()}. */
        public Builder roomLogConfig(RoomLogConfig roomLogConfig) {
            this.roomLogConfig = Objects.requireNonNull(roomLogConfig, "roomLogConfig");
            return this;
        }

        /** Largest message, record or value in bytes; default 1 MiB. */
        public Builder maxMessageSize(int maxMessageSize) {
            if (maxMessageSize < 1) {
                throw new IllegalArgumentException("maxMessageSize must be >= 1: " + maxMessageSize);
            }
            this.maxMessageSize = maxMessageSize;
            return this;
        }

        /** The clock for record ages and key-value write times; default {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Most writes committed by one sync; default 4096. */
        public Builder maxBatch(int maxBatch) {
            if (maxBatch < 1) {
                throw new IllegalArgumentException("maxBatch must be >= 1: " + maxBatch);
            }
            this.maxBatch = maxBatch;
            return this;
        }

        /** Opens the store; fails with {@link BrokerException.Reason#UNAVAILABLE} when it cannot. */
        public MvStoreBroker build() {
            if (directory == null) {
                throw new IllegalStateException("directory is required");
            }
            return new MvStoreBroker(this);
        }
    }
}
