package io.playconnect.bench.load;

import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop schedule: send {@code i} is due at start + i / rate, whatever happened to the sends
 * before it, so a slow server shows up as latency from the due time rather than as a lower sending
 * rate (no coordinated omission). How late the sending thread itself got to each send is the send
 * lag, reported beside the latency so an overloaded client is not mistaken for a slow server.
 */
final class OpenLoop {
    /** Below this the sender spins instead of parking: a park overshoots by tens of microseconds. */
    private static final long SPIN_NANOS = 20_000;
    /** Send lags are recorded in microseconds, up to one minute. */
    private static final long MAX_LAG_MICROS = TimeUnit.MINUTES.toMicros(1);

    private final long startNanos;
    private final double intervalNanos;

    OpenLoop(long startNanos, double perSecond) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("perSecond must be positive, was " + perSecond);
        }
        this.startNanos = startNanos;
        this.intervalNanos = 1e9 / perSecond;
    }

    /** A schedule that starts now. */
    static OpenLoop startingNow(double perSecond) {
        return new OpenLoop(System.nanoTime(), perSecond);
    }

    /** When send {@code i} (from 0) is due, in {@link System#nanoTime()} terms. */
    long due(long i) {
        return startNanos + (long) (i * intervalNanos);
    }

    /** Waits for send {@code i}'s turn, records how late it came into {@code sendLag}, returns its due time. */
    long awaitTurn(long i, Recorder sendLag) {
        long due = due(i);
        long now = waitUntil(due);
        sendLag.recordValue(Math.min(MAX_LAG_MICROS, (now - due) / 1000));
        return due;
    }

    /** Seconds since the schedule's start. */
    double secondsSinceStart() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Parks until shortly before {@code due}, then spins; returns the time it woke (never before {@code due}). */
    static long waitUntil(long due) {
        long now = System.nanoTime();
        while (now < due) {
            long left = due - now;
            if (left > SPIN_NANOS) {
                LockSupport.parkNanos(left - SPIN_NANOS);
            } else {
                Thread.onSpinWait();
            }
            now = System.nanoTime();
        }
        return now;
    }
}
