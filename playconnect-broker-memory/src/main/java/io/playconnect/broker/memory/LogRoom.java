package io.playconnect.broker.memory;

import io.playconnect.core.RoomId;
import io.playconnect.core.spi.BrokerException;
import io.playconnect.core.spi.LogRecord;
import io.playconnect.core.spi.RoomLog.RecordListener;
import io.playconnect.core.spi.Subscription;

import java.util.Arrays;

/**
 * One room's log across epochs, and its live subscribers. Changes (append, reset, trimming)
 * happen under this object's monitor. In the intended use one engine thread appends to a room, so
 * the monitor is uncontended; it still makes the fence hold when a stale owner appends at the same
 * time, and it keeps live delivery in seq order. Readers never take it.
 */
final class LogRoom {
    private static final RecordSubscription[] NONE = new RecordSubscription[0];
    final RoomId room;
    private volatile RoomLogBuffer buffer;
    private volatile RecordSubscription[] subscribers = NONE;
    private final HandlerFailures failures;

    LogRoom(RoomId room, RoomLogBuffer buffer, HandlerFailures failures) {
        this.room = room;
        this.buffer = buffer;
        this.failures = failures;
    }

    RoomLogBuffer buffer() {
        return buffer;
    }

    /**
     * Appends when the epoch and last seq match, then delivers the stored record to live subscribers;
     * returns null, or the refusal.
     */
    synchronized BrokerException append(LogRecord record, long expectedLastSeq, long now, long cutoff) {
        RoomLogBuffer b = buffer;
        if (b.lastSeq() != expectedLastSeq || !b.epoch.equals(record.epoch())) {
            return new BrokerException(BrokerException.Reason.WRONG_LAST_SEQUENCE, "room " + room
                    + ": expected last seq " + expectedLastSeq + " in epoch " + record.epoch()
                    + ", the log is at " + b.lastSeq() + " in epoch " + b.epoch);
        }
        b.append(record, now, cutoff);
        for (RecordSubscription s : subscribers) {
            s.deliver(record);
        }
        return null;
    }

    synchronized void reset(RoomLogBuffer fresh) {
        buffer = fresh;
    }

    synchronized void trimExpired(long cutoff) {
        buffer.trimExpired(cutoff);
    }

    synchronized Subscription subscribe(RecordListener listener) {
        RecordSubscription sub = new RecordSubscription(listener);
        RecordSubscription[] copy = Arrays.copyOf(subscribers, subscribers.length + 1);
        copy[subscribers.length] = sub;
        subscribers = copy;
        return sub;
    }

    private synchronized void unsubscribe(RecordSubscription sub) {
        subscribers = Arrays.stream(subscribers).filter(s -> s != sub).toArray(RecordSubscription[]::new);
    }

    /** A live subscriber; closing it stops delivery at once, even of an append in progress. */
    private final class RecordSubscription implements Subscription {
        private final RecordListener listener;
        private volatile boolean closed;

        RecordSubscription(RecordListener listener) {
            this.listener = listener;
        }

        void deliver(LogRecord record) {
            if (closed) {
                return;
            }
            try {
                listener.onRecord(record);
            } catch (Throwable t) {
                failures.record("record listener of room " + room, t);
            }
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                unsubscribe(this);
            }
        }
    }
}
