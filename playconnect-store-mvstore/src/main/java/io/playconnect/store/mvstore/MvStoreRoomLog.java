package io.playconnect.store.mvstore;

import io.playconnect.core.RoomId;
import io.playconnect.core.spi.BrokerException;
import io.playconnect.core.spi.LogInfo;
import io.playconnect.core.spi.LogRecord;
import io.playconnect.core.spi.RoomLog;
import io.playconnect.core.spi.RoomLogArguments;
import io.playconnect.core.spi.RoomLogConfig;
import io.playconnect.core.spi.Subscription;
import io.playconnect.store.mvstore.StoreCodec.Head;
import io.playconnect.store.mvstore.StoreCodec.Stored;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Room logs in the MVStore: one map of records keyed by room and seq, one map of log heads. Every
 * change is a {@link WriteOp} on the writer thread, checked there against the room's pending head
 * (so the fence is exact), and finished after its batch is synced: the append's future completes
 * and live subscribers get the record on the writer thread, in seq order. Reads run on the
 * caller's thread and see the durable head only.
 */
final class MvStoreRoomLog implements RoomLog {
    private final MVMap<String, byte[]> records;
    private final MVMap<String, byte[]> heads;
    private final ConcurrentHashMap<RoomId, StoredRoom> rooms = new ConcurrentHashMap<>();
    private final int maxRecords;
    private final long maxAgeMillis;
    private final Clock clock;
    private final int maxMessageSize;
    private final Consumer<WriteOp> writer;
    private final Runnable openCheck;
    private final BiConsumer<String, Throwable> failures;

    MvStoreRoomLog(MVStore store, RoomLogConfig config, Clock clock, int maxMessageSize, Consumer<WriteOp> writer,
                   Runnable openCheck, BiConsumer<String, Throwable> failures) {
        this.records = store.openMap("records");
        this.heads = store.openMap("heads");
        this.maxRecords = config.maxRecordsPerRoom();
        this.maxAgeMillis = saturatedMillis(config);
        this.clock = clock;
        this.maxMessageSize = maxMessageSize;
        this.writer = writer;
        this.openCheck = openCheck;
        this.failures = failures;
        for (Map.Entry<String, byte[]> e : heads.entrySet()) {
            RoomId room = RoomId.parse(e.getKey());
            rooms.put(room, new StoredRoom(room, StoreCodec.decodeHead(e.getValue())));
        }
    }

    private static long saturatedMillis(RoomLogConfig config) {
        try {
            return config.maxAge().toMillis();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Records stored at or before this instant have expired. */
    private long cutoff() {
        long now = clock.millis();
        long cutoff = now - maxAgeMillis;
        return cutoff > now ? Long.MIN_VALUE : cutoff;
    }

    private StoredRoom room(RoomId room) {
        return rooms.computeIfAbsent(room, r -> new StoredRoom(r, null));
    }

    int rooms() {
        return rooms.size();
    }

    @Override
    public CompletableFuture<LogInfo> info(RoomId room) {
        try {
            Objects.requireNonNull(room, "room");
            openCheck.run();
            StoredRoom r = room(room);
            Head h = r.committed();
            if (h != null) {
                return CompletableFuture.completedFuture(info(r, h));
            }
            CompletableFuture<LogInfo> created = new CompletableFuture<>();
            writer.accept(new CreateOp(r, created));
            return created;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The head with its first seq moved past records that expired but are not yet trimmed. */
    private LogInfo info(StoredRoom r, Head h) {
        long cutoff = cutoff();
        long s = h.first();
        while (s <= h.last() && !live(r.room, s, h.epoch(), cutoff)) {
            s++;
        }
        return new LogInfo(h.epoch(), s, h.last());
    }

    private boolean live(RoomId room, long seq, String epoch, long cutoff) {
        String key = StoreCodec.recordKey(room, seq);
        byte[] v = records.get(key);
        if (v == null) {
            return false;
        }
        Stored s = StoreCodec.decodeRecord(room, key, v);
        return s.storedAt() > cutoff && s.record().epoch().equals(epoch);
    }

    @Override
    public CompletableFuture<Void> append(LogRecord record, long expectedLastSeq) {
        try {
            Objects.requireNonNull(record, "record");
            openCheck.run();
            RoomLogArguments.checkNextSeq(record, expectedLastSeq);
            RoomLogArguments.checkSize(record, maxMessageSize);
            StoredRoom r = rooms.get(record.room());
            if (r == null) {
                throw new BrokerException(BrokerException.Reason.WRONG_LAST_SEQUENCE,
                        "room " + record.room() + " has no log yet; read its info first");
            }
            CompletableFuture<Void> stored = new CompletableFuture<>();
            writer.accept(new AppendOp(r, record, expectedLastSeq, stored));
            return stored;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<List<LogRecord>> read(RoomId room, long fromSeq, int max) {
        try {
            RoomLogArguments.checkRead(room, fromSeq, max);
            openCheck.run();
            StoredRoom r = rooms.get(room);
            Head h = r == null ? null : r.committed();
            return CompletableFuture.completedFuture(h == null ? Collections.emptyList() : read(room, h, fromSeq, max));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Up to {@code max} live records of the durable head from {@code fromSeq}, contiguous and in order. */
    private List<LogRecord> read(RoomId room, Head h, long fromSeq, int max) {
        long s = Math.max(fromSeq, h.first());
        if (s > h.last()) {
            return Collections.emptyList();
        }
        long cutoff = cutoff();
        List<LogRecord> out = new ArrayList<>((int) Math.min(max, Math.min(h.last() - s + 1, 1024)));
        Cursor<String, byte[]> c = records.cursor(StoreCodec.recordKey(room, s), StoreCodec.recordKey(room, h.last()), false);
        long previous = -1;
        while (c.hasNext() && out.size() < max) {
            String key = c.next();
            Stored stored = StoreCodec.decodeRecord(room, key, c.getValue());
            LogRecord rec = stored.record();
            boolean usable = stored.storedAt() > cutoff && rec.epoch().equals(h.epoch()) && rec.seq() <= h.last();
            if (!usable || (!out.isEmpty() && rec.seq() != previous + 1)) {
                if (!out.isEmpty()) {
                    break;
                }
                continue;
            }
            out.add(rec);
            previous = rec.seq();
        }
        return out;
    }

    @Override
    public CompletableFuture<LogInfo> reset(RoomId room, long nextSeq) {
        try {
            RoomLogArguments.checkReset(room, nextSeq);
            openCheck.run();
            CompletableFuture<LogInfo> done = new CompletableFuture<>();
            writer.accept(new ResetOp(room(room), nextSeq, done));
            return done;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public Subscription subscribe(RoomId room, RecordListener listener) {
        RoomLogArguments.checkSubscribe(room, listener);
        openCheck.run();
        return room(room).subscribe(listener);
    }

    /** Writer thread, between batches (so every pending head is durable): drops expired records. */
    void trimExpired() {
        long cutoff = cutoff();
        for (StoredRoom r : rooms.values()) {
            Head h = r.pending;
            if (h == null || h.first() > h.last()) {
                continue;
            }
            long first = h.first();
            for (; first <= h.last(); first++) {
                String key = StoreCodec.recordKey(r.room, first);
                byte[] v = records.get(key);
                if (v != null && StoreCodec.decodeRecord(r.room, key, v).storedAt() > cutoff) {
                    break;
                }
                records.remove(key);
            }
            if (first != h.first()) {
                Head after = new Head(h.epoch(), first, h.last());
                heads.put(r.room.value(), StoreCodec.encodeHead(after));
                r.pending = after;
                r.commit(after);
            }
        }
    }

    private static BrokerException refusal(RoomId room, long expected, String epoch, Head h) {
        return new BrokerException(BrokerException.Reason.WRONG_LAST_SEQUENCE, "room " + room + ": expected last seq "
                + expected + " in epoch " + epoch + ", the log is at "
                + (h == null ? "nothing (no log yet)" : h.last() + " in epoch " + h.epoch()));
    }

    /** Opens a room's log with a fresh epoch, unless it exists by the time the writer gets to it. */
    private final class CreateOp extends WriteOp {
        private final StoredRoom r;
        private final CompletableFuture<LogInfo> done;

        CreateOp(StoredRoom r, CompletableFuture<LogInfo> done) {
            this.r = r;
            this.done = done;
        }

        @Override
        boolean apply() {
            if (r.pending != null) {
                return false;
            }
            Head fresh = new Head(Epochs.next(), 1, 0);
            heads.put(r.room.value(), StoreCodec.encodeHead(fresh));
            r.pending = fresh;
            return true;
        }

        @Override
        void finish(Throwable failure) {
            if (failure != null) {
                done.completeExceptionally(failure);
                return;
            }
            if (r.committed() == null) {
                r.commit(r.pending);
            }
            done.complete(info(r, r.committed()));
        }
    }

    /** The fenced append: stores the record only when the pending head is what the caller expects. */
    private final class AppendOp extends WriteOp {
        private final StoredRoom r;
        private final LogRecord record;
        private final long expected;
        private final CompletableFuture<Void> done;
        private Head after;

        AppendOp(StoredRoom r, LogRecord record, long expected, CompletableFuture<Void> done) {
            this.r = r;
            this.record = record;
            this.expected = expected;
            this.done = done;
        }

        @Override
        boolean apply() {
            Head h = r.pending;
            if (h == null || h.last() != expected || !h.epoch().equals(record.epoch())) {
                throw refusal(r.room, expected, record.epoch(), h);
            }
            long storedAt = Math.max(clock.millis(), r.newestStoredAt);
            r.newestStoredAt = storedAt;
            long seq = record.seq();
            // Record before head: a record past the stored head is ignored and later overwritten.
            records.put(StoreCodec.recordKey(r.room, seq), StoreCodec.encodeRecord(record, storedAt));
            long first = h.first();
            for (; seq - first + 1 > maxRecords; first++) {
                records.remove(StoreCodec.recordKey(r.room, first));
            }
            after = new Head(h.epoch(), first, seq);
            heads.put(r.room.value(), StoreCodec.encodeHead(after));
            r.pending = after;
            return true;
        }

        @Override
        void finish(Throwable failure) {
            if (failure != null) {
                done.completeExceptionally(failure);
                return;
            }
            r.commit(after);
            r.deliver(record, failures);
            done.complete(null);
        }
    }

    /** Drops a room's records and starts a new epoch at {@code nextSeq}. */
    private final class ResetOp extends WriteOp {
        private final StoredRoom r;
        private final long nextSeq;
        private final CompletableFuture<LogInfo> done;
        private Head fresh;

        ResetOp(StoredRoom r, long nextSeq, CompletableFuture<LogInfo> done) {
            this.r = r;
            this.nextSeq = nextSeq;
            this.done = done;
        }

        @Override
        boolean apply() {
            List<String> keys = new ArrayList<>();
            Cursor<String, byte[]> c = records.cursor(StoreCodec.recordKey(r.room, 0),
                    StoreCodec.recordKey(r.room, Long.MAX_VALUE), false);
            while (c.hasNext()) {
                keys.add(c.next());
            }
            keys.forEach(records::remove);
            fresh = new Head(Epochs.next(), nextSeq, nextSeq - 1);
            heads.put(r.room.value(), StoreCodec.encodeHead(fresh));
            r.pending = fresh;
            return true;
        }

        @Override
        void finish(Throwable failure) {
            if (failure != null) {
                done.completeExceptionally(failure);
                return;
            }
            r.commit(fresh);
            done.complete(new LogInfo(fresh.epoch(), fresh.first(), fresh.last()));
        }
    }
}
