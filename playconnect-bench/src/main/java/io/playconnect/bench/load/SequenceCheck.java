package io.playconnect.bench.load;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Each client's position in its room's stream, checked message by message. Positions must follow
 * one another: a jump forward counts the positions skipped as gaps (lost messages), a position at or
 * before the last one counts as a duplicate. Safe for the listener threads of many clients at once,
 * as long as each client's messages arrive on one thread at a time (as the drivers deliver them).
 */
final class SequenceCheck {
    private final AtomicLongArray lastSeq;
    private final AtomicLong gaps = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();

    SequenceCheck(int clients) {
        this.lastSeq = new AtomicLongArray(clients);
    }

    /**
     * Checks {@code client}'s next message at {@code seq}. Returns false for a duplicate, which
     * the caller must not count as a new delivery.
     */
    boolean accept(int client, long seq) {
        long last = lastSeq.get(client);
        if (last > 0 && seq != last + 1) {
            if (seq <= last) {
                duplicates.incrementAndGet();
                return false;
            }
            gaps.addAndGet(seq - last - 1);
        }
        lastSeq.set(client, seq);
        return true;
    }

    /** A join's snapshot (or a resume) stands for everything up to {@code seq}: checking continues after it. */
    void joinedAt(int client, long seq) {
        if (lastSeq.get(client) < seq) {
            lastSeq.set(client, seq);
        }
    }

    /** Forgets {@code client}'s position (a new epoch numbers from the start again). */
    void forget(int client) {
        lastSeq.set(client, 0);
    }

    long last(int client) {
        return lastSeq.get(client);
    }

    long gaps() {
        return gaps.get();
    }

    long duplicates() {
        return duplicates.get();
    }

    /** Forgets the gap and duplicate counts (after a warm-up round), keeping each client's position. */
    void resetCounts() {
        gaps.set(0);
        duplicates.set(0);
    }
}
