package io.playconnect.store.mvstore;

import io.playconnect.core.RoomId;
import io.playconnect.core.spi.LogRecord;
import io.playconnect.core.spi.RoomLog.RecordListener;
import io.playconnect.core.spi.Subscription;
import io.playconnect.store.mvstore.StoreCodec.Head;

import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * One room's log head and its live subscribers. The writer thread owns {@link #pending}, the head
 * including applied but not yet durable changes, which the fence checks against; readers see
 * {@link #committed}, which the writer moves forward only after a sync, so nobody reads or
 * receives a record that a crash could still take away.
 */
final class StoredRoom {
    private static final RecordSubscription[] NONE = new RecordSubscription[0];
    final RoomId room;
    /** Writer thread only: null until the log exists. */
    Head pending;
    /** Writer thread only: the newest store time, so a clock step back never reorders ages. */
    long newestStoredAt;
    private volatile Head committed;
    private volatile RecordSubscription[] subscribers = NONE;

    StoredRoom(RoomId room, Head stored) {
        this.room = room;
        this.pending = stored;
        this.committed = stored;
    }

    /** The durable head, or null when the log does not exist yet. */
    Head committed() {
        return committed;
    }

    /** Writer thread, after the sync that made {@code head} durable. */
    void commit(Head head) {
        committed = head;
    }

    /** Writer thread: hands a durable record to every live subscriber, in seq order. */
    void deliver(LogRecord record, BiConsumer<String, Throwable> failures) {
        for (RecordSubscription s : subscribers) {
            s.deliver(record, failures);
        }
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

    /** A live subscriber; closing it stops delivery at once. */
    private final class RecordSubscription implements Subscription {
        private final RecordListener listener;
        private volatile boolean closed;

        RecordSubscription(RecordListener listener) {
            this.listener = listener;
        }

        void deliver(LogRecord record, BiConsumer<String, Throwable> failures) {
            if (closed) {
                return;
            }
            try {
                listener.onRecord(record);
            } catch (RuntimeException e) {
                failures.accept("record listener of room " + room, e);
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
