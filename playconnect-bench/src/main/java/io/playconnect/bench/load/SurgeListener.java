package io.playconnect.bench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the surge's subscribers received. Each client is in one room, so its positions must follow
 * one another for the whole run: a jump is a lost message, a repeat a duplicate. Every delivery's
 * latency (from the send time in its payload) goes into a recorder the workload empties once a
 * second.
 */
final class SurgeListener extends ProblemCounting {
    private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(1);

    private final SequenceCheck sequence;
    private final AtomicLong delivered = new AtomicLong();
    private final Recorder latency = new Recorder(MAX_MICROS, 3);

    SurgeListener(int clients) {
        this.sequence = new SequenceCheck(clients);
    }

    @Override
    public void onMessage(int client, String room, long seq, long sentNanos) {
        long now = System.nanoTime();
        if (sentNanos > 0) {
            latency.recordValue(Math.min(MAX_MICROS, Math.max(0, (now - sentNanos) / 1000)));
        }
        delivered.incrementAndGet();
        sequence.accept(client, seq);
    }

    @Override
    public void onJoined(int client, String room, String epoch, long seq, boolean recovered) {
        // The join's snapshot stands for everything up to its seq: counting starts after it.
        sequence.joinedAt(client, seq);
    }

    /** The latencies (µs) recorded since the last call. */
    Histogram takeLatency() {
        return latency.getIntervalHistogram();
    }

    long delivered() {
        return delivered.get();
    }

    long gaps() {
        return sequence.gaps();
    }

    long duplicates() {
        return sequence.duplicates();
    }
}
