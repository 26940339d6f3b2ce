package io.playconnect.bench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Counts what every client received in one tracked room and checks its stream: each client's
 * positions must follow one another (a gap is a missed message, a repeat a duplicate), across
 * reconnects too. Records the latency of every delivery that carries its send time.
 */
final class Deliveries implements ClientListener {
    /** Latencies are recorded in microseconds, up to one minute. */
    private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(1);

    private final String trackedRoom;
    private final SequenceCheck sequence;
    private final AtomicLongArray received;
    private final AtomicReferenceArray<String> epochs;
    private final AtomicLongArray caughtUpAt;
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong snapshotsOnResume = new AtomicLong();
    private final AtomicLong closes = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong caughtUp = new AtomicLong();
    private final Recorder latency = new Recorder(MAX_MICROS, 3);
    private volatile String lastError = "";
    private volatile String lastClose = "";
    /** While positive, a client counts as caught up once it has this position. */
    private volatile long catchUpTarget = Long.MAX_VALUE;
    private volatile boolean resuming;

    Deliveries(int clients, String trackedRoom) {
        this.trackedRoom = trackedRoom;
        this.sequence = new SequenceCheck(clients);
        this.received = new AtomicLongArray(clients);
        this.epochs = new AtomicReferenceArray<>(clients);
        this.caughtUpAt = new AtomicLongArray(clients);
    }

    @Override
    public void onMessage(int client, String room, long seq, long sentNanos) {
        long now = System.nanoTime();
        if (sentNanos > 0) {
            latency.recordValue(Math.min(MAX_MICROS, Math.max(0, (now - sentNanos) / 1000)));
        }
        if (!trackedRoom.equals(room)) {
            return;
        }
        received.incrementAndGet(client);
        total.incrementAndGet();
        if (!sequence.accept(client, seq)) {
            return;
        }
        if (seq >= catchUpTarget) {
            markCaughtUp(client, now);
        }
    }

    @Override
    public void onJoined(int client, String room, String epoch, long seq, boolean recovered) {
        if (!trackedRoom.equals(room)) {
            return;
        }
        epochs.set(client, epoch);
        if (resuming && !recovered) {
            snapshotsOnResume.incrementAndGet();
        }
        // A snapshot stands for everything up to its seq; a resume continues after the position sent.
        sequence.joinedAt(client, seq);
        if (seq >= catchUpTarget) {
            markCaughtUp(client, System.nanoTime());
        }
    }

    @Override
    public void onError(int client, String code, String message) {
        errors.incrementAndGet();
        lastError = code + ": " + message;
    }

    @Override
    public void onClosed(int client, int code, String reason) {
        closes.incrementAndGet();
        lastClose = code + " " + reason;
    }

    /** From now on, a client that reaches {@code seq} (or reconnects, when {@code seq} is 0) is caught up. */
    void catchUpTo(long seq, boolean resume) {
        resuming = resume;
        catchUpTarget = seq;
    }

    /** Marks a client caught up by other means (a protocol without replay is caught up once subscribed). */
    void markCaughtUp(int client, long nanos) {
        if (caughtUpAt.compareAndSet(client, 0, nanos)) {
            caughtUp.incrementAndGet();
        }
    }

    long caughtUpAt(int client) {
        return caughtUpAt.get(client);
    }

    long caughtUpCount() {
        return caughtUp.get();
    }

    long total() {
        return total.get();
    }

    long received(int client) {
        return received.get(client);
    }

    long lastSeq(int client) {
        return sequence.last(client);
    }

    String epoch(int client) {
        return epochs.get(client);
    }

    long gaps() {
        return sequence.gaps();
    }

    long duplicates() {
        return sequence.duplicates();
    }

    long snapshotsOnResume() {
        return snapshotsOnResume.get();
    }

    long closes() {
        return closes.get();
    }

    long errors() {
        return errors.get();
    }

    String lastError() {
        return lastError;
    }

    String lastClose() {
        return lastClose;
    }

    /** Latencies since the last call (or since creation), in microseconds. */
    Histogram takeLatency() {
        return latency.getIntervalHistogram();
    }

    /** Forgets counts and latencies (after a warm-up round), keeping each client's position. */
    void resetCounts() {
        latency.reset();
        total.set(0);
        sequence.resetCounts();
        errors.set(0);
        for (int i = 0; i < received.length(); i++) {
            received.set(i, 0);
        }
    }
}
