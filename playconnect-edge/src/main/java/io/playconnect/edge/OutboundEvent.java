package io.playconnect.edge;

import io.playconnect.core.RoomId;
import io.playconnect.core.spi.LogRecord;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;

/**
 * One stored record on its way to every local subscriber of its room. The same object goes to
 * every session, so each protocol encodes it once ({@link #encoded}) and writes the same bytes to
 * all of them.
 */
public final class OutboundEvent {
    private final LogRecord record;
    private final EdgeMetrics metrics;
    // Copy-on-write, published through the volatile field: readers never lock.
    private volatile Object[] encodings = new Object[0];

    OutboundEvent(LogRecord record, EdgeMetrics metrics) {
        this.record = Objects.requireNonNull(record, "record");
        this.metrics = metrics;
    }

    public RoomId room() {
        return record.room();
    }

    public String epoch() {
        return record.epoch();
    }

    public long seq() {
        return record.seq();
    }

    /** Commit time in milliseconds since the Unix epoch. */
    public long timestamp() {
        return record.timestamp();
    }

    public LogRecord record() {
        return record;
    }

    /** The stored envelope JSON, shared by everyone: never modify it. */
    public byte[] data() {
        return record.data();
    }

    /**
     * This event's encoding for {@code key}: the first caller runs {@code encoder} on
     * {@link #data()}, every later caller (any session, any thread) gets the same object.
     */
    @SuppressWarnings("unchecked")
    public <T> T encoded(EncodingKey<T> key, Function<byte[], T> encoder) {
        int i = key.index();
        Object[] current = encodings;
        if (i < current.length && current[i] != null) {
            return (T) current[i];
        }
        synchronized (this) {
            current = encodings;
            if (i < current.length && current[i] != null) {
                return (T) current[i];
            }
            T value = Objects.requireNonNull(encoder.apply(record.data()), "encoder returned null");
            Object[] next = Arrays.copyOf(current, Math.max(current.length, i + 1));
            next[i] = value;
            encodings = next;
            if (metrics != null) {
                metrics.forProtocol(key.protocol()).encoded();
            }
            return value;
        }
    }

    @Override
    public String toString() {
        return "OutboundEvent[" + record.room() + ' ' + record.epoch() + ':' + record.seq() + ']';
    }
}
