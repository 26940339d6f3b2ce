package io.playconnect.core.spi;

import io.playconnect.core.RoomId;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The per-room log: one record per accepted command, seq gapless from 1 within an epoch. Appends
 * are fenced by the expected last seq, so a process that lost ownership cannot append. Only
 * stored records are delivered live.
 */
public interface RoomLog {

    /**
     * The log's epoch and retained range. A log that does not exist yet is created with a fresh
     * random epoch, first seq 1 and last seq 0.
     */
    CompletableFuture<LogInfo> info(RoomId room);

    /**
     * Appends {@code record} (whose seq must be {@code expectedLastSeq + 1} and whose epoch must be
     * the log's). Completes when the record is stored; fails with
     * {@link BrokerException.Reason#WRONG_LAST_SEQUENCE} when the log's last seq or epoch differs.
     * A stored record is then delivered to live subscribers of the room, in seq order.
     */
    CompletableFuture<Void> append(LogRecord record, long expectedLastSeq);

    /** Up to {@code max} retained records with seq {@code >= fromSeq}, in order. */
    CompletableFuture<List<LogRecord>> read(RoomId room, long fromSeq, int max);

    /**
     * Deletes the room's log and starts a new one with a fresh epoch whose first seq is
     * {@code nextSeq}; used when the log no longer reaches back to the room's snapshot.
     */
    CompletableFuture<LogInfo> reset(RoomId room, long nextSeq);

    /** Live stored records of one room, in seq order. */
    Subscription subscribe(RoomId room, RecordListener listener);

    /** Receives live records. Must not block. */
    @FunctionalInterface
    interface RecordListener {
        void onRecord(LogRecord record);
    }
}
