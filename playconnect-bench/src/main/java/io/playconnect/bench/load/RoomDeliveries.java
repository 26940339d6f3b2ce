package io.playconnect.bench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deliveries to subscribers that are each in ONE room of many: every client's positions must
 * follow one another for the whole run (a gap is a lost message, a repeat a duplicate). Only
 * messages sent inside the current measuring window (by the send time in their payload) are
 * counted and timed, so warm-up traffic that arrives late does not count in a step.
 */
final class RoomDeliveries extends ProblemCounting {
    private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(1);

    private final SequenceCheck sequence;
    private final AtomicLong measured = new AtomicLong();
    private final Recorder latency = new Recorder(MAX_MICROS, 3);
    private volatile long windowFrom = Long.MAX_VALUE;
    private volatile long windowTo = Long.MAX_VALUE;

    RoomDeliveries(int clients) {
        this.sequence = new SequenceCheck(clients);
    }

    /** Counts and times, from now on, the messages sent at or after {@code fromNanos}. */
    void measureFrom(long fromNanos) {
        latency.reset();
        measured.set(0);
        windowTo = Long.MAX_VALUE;
        windowFrom = fromNanos;
    }

    /** Messages sent at or after {@code toNanos} no longer count (the next step's). */
    void measureUntil(long toNanos) {
        windowTo = toNanos;
    }

    @Override
    public void onMessage(int client, String room, long seq, long sentNanos) {
        long now = System.nanoTime();
        if (sentNanos >= windowFrom && sentNanos < windowTo) {
            latency.recordValue(Math.min(MAX_MICROS, Math.max(0, (now - sentNanos) / 1000)));
            measured.incrementAndGet();
        }
        sequence.accept(client, seq);
    }

    long measured() {
        return measured.get();
    }

    long gaps() {
        return sequence.gaps();
    }

    long duplicates() {
        return sequence.duplicates();
    }

    /** The measured latencies (microseconds) since {@link #measureFrom}. */
    Histogram takeLatency() {
        return latency.getIntervalHistogram();
    }
}
