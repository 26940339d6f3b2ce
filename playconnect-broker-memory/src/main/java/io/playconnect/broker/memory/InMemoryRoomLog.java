package io.playconnect.broker.memory;

import io.playconnect.core.RoomId;
import io.playconnect.core.spi.BrokerException;
import io.playconnect.core.spi.LogInfo;
import io.playconnect.core.spi.LogRecord;
import io.playconnect.core.spi.RoomLog;
import io.playconnect.core.spi.RoomLogArguments;
import io.playconnect.core.spi.RoomLogConfig;
import io.playconnect.core.spi.Subscription;

import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Room logs in memory. Every operation completes before it returns, on the caller's thread; live
 * records are delivered on the appending thread right after they are stored, before the append's
 * future completes.
 */
final class InMemoryRoomLog implements RoomLog {
    private final ConcurrentHashMap<RoomId, LogRoom> rooms = new ConcurrentHashMap<>();
    private final int maxRecords;
    private final long maxAgeMillis;
    private final Clock clock;
    private final int maxMessageSize;
    private final OpenGuard guard;
    private final HandlerFailures failures;

    InMemoryRoomLog(RoomLogConfig config, Clock clock, int maxMessageSize, OpenGuard guard, HandlerFailures failures) {
        this.maxRecords = config.maxRecordsPerRoom();
        this.maxAgeMillis = saturatedMillis(config);
        this.clock = clock;
        this.maxMessageSize = maxMessageSize;
        this.guard = guard;
        this.failures = failures;
    }

    private static long saturatedMillis(RoomLogConfig config) {
        try {
            return config.maxAge().toMillis();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Records stored at or before this instant have expired. */
    private long cutoff(long now) {
        long cutoff = now - maxAgeMillis;
        return cutoff > now ? Long.MIN_VALUE : cutoff;
    }

    private LogRoom room(RoomId room) {
        return rooms.computeIfAbsent(room, r -> new LogRoom(r, new RoomLogBuffer(Epochs.next(), 1, maxRecords), failures));
    }

    @Override
    public CompletableFuture<LogInfo> info(RoomId room) {
        try {
            Objects.requireNonNull(room, "room");
            guard.check();
            return CompletableFuture.completedFuture(room(room).buffer().info(cutoff(clock.millis())));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<Void> append(LogRecord record, long expectedLastSeq) {
        try {
            Objects.requireNonNull(record, "record");
            guard.check();
            RoomLogArguments.checkNextSeq(record, expectedLastSeq);
            RoomLogArguments.checkSize(record, maxMessageSize);
            LogRoom room = rooms.get(record.room());
            long now = clock.millis();
            BrokerException refused = room == null
                    ? new BrokerException(BrokerException.Reason.WRONG_LAST_SEQUENCE,
                            "room " + record.room() + " has no log yet; read its info first")
                    : room.append(record, expectedLastSeq, now, cutoff(now));
            return refused == null ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(refused);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<List<LogRecord>> read(RoomId room, long fromSeq, int max) {
        try {
            RoomLogArguments.checkRead(room, fromSeq, max);
            guard.check();
            LogRoom r = rooms.get(room);
            List<LogRecord> records = r == null ? Collections.emptyList()
                    : r.buffer().read(fromSeq, max, cutoff(clock.millis()));
            return CompletableFuture.completedFuture(records);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<LogInfo> reset(RoomId room, long nextSeq) {
        try {
            RoomLogArguments.checkReset(room, nextSeq);
            guard.check();
            RoomLogBuffer fresh = new RoomLogBuffer(Epochs.next(), nextSeq, maxRecords);
            room(room).reset(fresh);
            return CompletableFuture.completedFuture(fresh.info(cutoff(clock.millis())));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public Subscription subscribe(RoomId room, RecordListener listener) {
        RoomLogArguments.checkSubscribe(room, listener);
        guard.check();
        return room(room).subscribe(listener);
    }

    /** Drops expired records of idle rooms, whose appends would otherwise never trim them. */
    void trimExpired() {
        long cutoff = cutoff(clock.millis());
        rooms.values().forEach(r -> r.trimExpired(cutoff));
    }

    int rooms() {
        return rooms.size();
    }
}
