package io.playconnect.store.mvstore;

import io.playconnect.core.spi.BrokerException;
import io.playconnect.core.spi.KeyValue;
import io.playconnect.core.spi.KvEntry;
import io.playconnect.store.mvstore.StoreCodec.BucketMeta;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A durable key-value bucket without a TTL (snapshots, cluster settings): one MVStore map, and the
 * bucket's last revision beside it in the bucket directory, so revisions keep increasing across
 * restarts and deletes. Every write is a compare-and-set on the writer thread, completed after its
 * batch is synced. Reads run on the caller's thread and may see a write a moment before its own
 * future completes; that write is then already applied and fails only together with the store.
 * Values are copied in and out.
 */
final class MvStoreKeyValue implements KeyValue {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_=-]+(\\.[A-Za-z0-9_=-]+)*");
    private final String bucket;
    private final MVMap<String, byte[]> entries;
    private final MVMap<String, byte[]> directory;
    private final int maxValueSize;
    private final Consumer<WriteOp> writer;
    private final Runnable openCheck;
    private final java.time.Clock clock;
    /** Writer thread only after construction. */
    private long revision;

    MvStoreKeyValue(MVStore store, MVMap<String, byte[]> directory, String bucket, int maxValueSize,
                    java.time.Clock clock, Consumer<WriteOp> writer, Runnable openCheck) {
        this.bucket = bucket;
        this.directory = directory;
        this.entries = store.openMap("kv." + bucket);
        byte[] meta = directory.get(bucket);
        BucketMeta known = meta == null ? null : StoreCodec.decodeBucket(meta);
        this.maxValueSize = known == null ? maxValueSize : known.maxValueSize();
        this.revision = known == null ? 0 : known.revision();
        this.clock = clock;
        this.writer = writer;
        this.openCheck = openCheck;
    }

    @Override
    public String bucket() {
        return bucket;
    }

    int maxValueSize() {
        return maxValueSize;
    }

    @Override
    public CompletableFuture<Optional<KvEntry>> get(String key) {
        try {
            checkKey(key);
            openCheck.run();
            byte[] v = entries.get(key);
            return CompletableFuture.completedFuture(v == null ? Optional.empty() : Optional.of(StoreCodec.decodeEntry(key, v)));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<Long> put(String key, byte[] value) {
        return write(key, value, old -> true);
    }

    @Override
    public CompletableFuture<Long> create(String key, byte[] value) {
        return write(key, value, old -> old == null);
    }

    @Override
    public CompletableFuture<Long> update(String key, byte[] value, long expectedRevision) {
        return write(key, value, old -> old != null && old.revision() == expectedRevision);
    }

    private interface Precondition {
        boolean holds(KvEntry old);
    }

    private CompletableFuture<Long> write(String key, byte[] value, Precondition precondition) {
        try {
            checkKey(key);
            Objects.requireNonNull(value, "value");
            if (value.length > maxValueSize) {
                throw new BrokerException(BrokerException.Reason.TOO_LARGE, "value of " + value.length
                        + " bytes exceeds bucket " + bucket + "'s maximum of " + maxValueSize);
            }
            openCheck.run();
            CompletableFuture<Long> done = new CompletableFuture<>();
            writer.accept(new PutOp(key, value.clone(), precondition, done));
            return done;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<Void> delete(String key) {
        try {
            checkKey(key);
            openCheck.run();
            CompletableFuture<Void> done = new CompletableFuture<>();
            writer.accept(new WriteOp() {
                @Override
                boolean apply() {
                    return entries.remove(key) != null;
                }

                @Override
                void finish(Throwable failure) {
                    if (failure != null) {
                        done.completeExceptionally(failure);
                    } else {
                        done.complete(null);
                    }
                }
            });
            return done;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<List<String>> keys() {
        try {
            openCheck.run();
            return CompletableFuture.completedFuture(new ArrayList<>(entries.keySet()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** A write whose precondition is checked against the map on the writer thread. */
    private final class PutOp extends WriteOp {
        private final String key;
        private final byte[] value;
        private final Precondition precondition;
        private final CompletableFuture<Long> done;
        private long written;

        PutOp(String key, byte[] value, Precondition precondition, CompletableFuture<Long> done) {
            this.key = key;
            this.value = value;
            this.precondition = precondition;
            this.done = done;
        }

        @Override
        boolean apply() {
            byte[] old = entries.get(key);
            if (!precondition.holds(old == null ? null : StoreCodec.decodeEntry(key, old))) {
                throw new BrokerException(BrokerException.Reason.KEY_EXISTS_OR_STALE,
                        "key " + key + " in bucket " + bucket + " exists or has another revision");
            }
            written = ++revision;
            // The counter first: stored alone, it leaves a gap in revisions, never a repeat.
            directory.put(bucket, StoreCodec.encodeBucket(new BucketMeta(maxValueSize, written)));
            entries.put(key, StoreCodec.encodeEntry(written, clock.millis(), value));
            return true;
        }

        @Override
        void finish(Throwable failure) {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else {
                done.complete(written);
            }
        }
    }

    static void checkKey(String key) {
        if (key == null || key.isEmpty() || key.length() > 1024 || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("key must be dot-separated tokens of letters, digits, '-', '_' "
                    + "and '=': " + (key == null ? "null" : "'" + key.replaceAll("[^\\x20-\\x7e]", "?") + "'"));
        }
    }
}
