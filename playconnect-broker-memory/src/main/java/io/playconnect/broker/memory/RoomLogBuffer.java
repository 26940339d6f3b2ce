package io.playconnect.broker.memory;

import io.playconnect.core.spi.LogInfo;
import io.playconnect.core.spi.LogRecord;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One epoch of one room's log: a ring of records indexed by seq.
 *
 * <p>One writer at a time (the caller holds the room's monitor) appends and trims; any number of
 * readers read without a lock. The writer stores a slot before it publishes the new last seq, and
 * publishes a grown ring before the seq that needed it, so a reader that reads {@code last} and then
 * {@code slots} finds every record up to that seq that was still retained. Slots can be trimmed or
 * overwritten while a reader looks at them, so a reader checks each slot's seq and stops at the first
 * one that is gone: it returns a contiguous run, never a gap. Each slot carries the time the broker
 * stored it, and readers skip records older than the cut-off themselves, so a read never returns an
 * expired record even before the writer or the sweeper trims it.
 */
final class RoomLogBuffer {
    private static final int INITIAL_CAPACITY = 8;
    private static final int MAX_CAPACITY = 1 << 30;
    final String epoch;
    private final int maxRecords;
    private final int maxCapacity;
    private volatile Slot[] slots = new Slot[INITIAL_CAPACITY];
    private volatile long first;
    private volatile long last;
    private long newestStoredAt = Long.MIN_VALUE;

    /** A stored record and when the broker stored it (never earlier than the one before). */
    private record Slot(LogRecord record, long storedAt) {
    }

    RoomLogBuffer(String epoch, long nextSeq, int maxRecords) {
        this.epoch = epoch;
        this.maxRecords = Math.min(maxRecords, MAX_CAPACITY);
        this.maxCapacity = Math.min(Integer.highestOneBit(Math.max(this.maxRecords - 1, 1)) << 1, MAX_CAPACITY);
        this.first = nextSeq;
        this.last = nextSeq - 1;
    }

    long lastSeq() {
        return last;
    }

    // ---- writer side: the caller holds the room's monitor

    /** Stores {@code record} (whose seq is {@code lastSeq() + 1}) at {@code now}. */
    void append(LogRecord record, long now, long cutoff) {
        trimExpired(cutoff);
        long size = last - first + 1;
        if (size >= maxRecords) {
            trimTo(last + 2 - maxRecords);
        }
        ensureCapacity((int) (last - first + 2));
        long storedAt = Math.max(now, newestStoredAt);
        newestStoredAt = storedAt;
        Slot[] ring = slots;
        ring[index(record.seq(), ring)] = new Slot(record, storedAt);
        last = record.seq();
    }

    /** Drops records stored at or before {@code cutoff}. */
    void trimExpired(long cutoff) {
        Slot[] ring = slots;
        long f = first;
        long l = last;
        while (f <= l) {
            Slot s = ring[index(f, ring)];
            if (s == null || s.storedAt > cutoff) {
                break;
            }
            f++;
        }
        if (f != first) {
            trimTo(f);
        }
    }

    private void trimTo(long newFirst) {
        long old = first;
        first = newFirst;
        Slot[] ring = slots;
        for (long s = old; s < newFirst; s++) {
            ring[index(s, ring)] = null;
        }
    }

    private void ensureCapacity(int needed) {
        Slot[] ring = slots;
        if (needed <= ring.length) {
            return;
        }
        int length = ring.length;
        while (length < needed && length < maxCapacity) {
            length <<= 1;
        }
        Slot[] grown = new Slot[length];
        for (long s = first; s <= last; s++) {
            grown[index(s, grown)] = ring[index(s, ring)];
        }
        slots = grown;
    }

    // ---- reader side: any thread, no lock

    LogInfo info(long cutoff) {
        long l = last;
        return new LogInfo(epoch, firstLive(l, cutoff), l);
    }

    private long firstLive(long l, long cutoff) {
        Slot[] ring = slots;
        long s = first;
        while (s <= l && !live(ring[index(s, ring)], s, cutoff)) {
            s++;
        }
        return s;
    }

    /** Up to {@code max} live records from {@code fromSeq}, contiguous and in order. */
    List<LogRecord> read(long fromSeq, int max, long cutoff) {
        long l = last;
        Slot[] ring = slots;
        long s = Math.max(fromSeq, first);
        if (s > l) {
            return Collections.emptyList();
        }
        List<LogRecord> out = new ArrayList<>((int) Math.min(max, l - s + 1));
        for (; s <= l && out.size() < max; s++) {
            Slot slot = ring[index(s, ring)];
            if (live(slot, s, cutoff)) {
                out.add(slot.record);
            } else if (!out.isEmpty()) {
                break;
            }
        }
        return out;
    }

    private static boolean live(Slot slot, long seq, long cutoff) {
        return slot != null && slot.record.seq() == seq && slot.storedAt > cutoff;
    }

    private static int index(long seq, Slot[] ring) {
        return (int) (seq & (ring.length - 1));
    }
}
