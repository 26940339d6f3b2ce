package io.playconnect.broker.nats;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Fails the broker's futures that are still pending at their deadline, with a
 * {@link TimeoutException} as {@link CompletableFuture#orTimeout} would. {@code orTimeout} schedules
 * and cancels a JDK timer task per call and wakes the JDK's timer thread whenever its queue had run
 * empty: about one context switch per command in each of gateway and engine at 2,000 commands/s
 * (docs/benchmarks.md). Here one thread per broker sweeps every {@link #TICK} while anything is
 * pending and sleeps otherwise; a deadline passes at most one tick late.
 *
 * <p>Futures with the same timeout are registered in arrival order, so each timeout's queue is in
 * deadline order and a sweep only looks at the heads. A future completed in time leaves a small
 * entry behind until its deadline, without the future (and its answer) attached.
 */
final class Deadlines implements AutoCloseable {
    static final Duration TICK = Duration.ofMillis(5);
    /** Timeout lengths with a lane of their own; callers use one or two each. Beyond: orTimeout. */
    static final int MAX_LANES = 32;
    private static final long TICK_NANOS = TICK.toNanos();
    private final ConcurrentHashMap<Long, Lane> lanes = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile Lane last;
    private volatile boolean sleeping;
    private volatile boolean closed;

    Deadlines(String name) {
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** {@code future} itself, failed with a {@link TimeoutException} if still pending after {@code timeout}. */
    <T> CompletableFuture<T> within(CompletableFuture<T> future, Duration timeout) {
        long nanos = timeout.toNanos();
        Lane lane = last;
        if (lane == null || lane.timeoutNanos != nanos) {
            lane = lanes.get(nanos);
            if (lane == null) {
                if (lanes.size() >= MAX_LANES) {
                    // Many different timeouts (a caller passing what is left of its own): keep the
                    // lanes, and with them each sweep, bounded.
                    return future.orTimeout(nanos, TimeUnit.NANOSECONDS);
                }
                lane = lanes.computeIfAbsent(nanos, Lane::new);
            }
            last = lane;
        }
        Entry e = new Entry(System.nanoTime() + nanos, future);
        lane.queue.offer(e);
        future.whenComplete(e);
        if (sleeping) {
            LockSupport.unpark(thread);
        }
        return future;
    }

    private void run() {
        while (!closed) {
            if (sweep(System.nanoTime())) {
                LockSupport.parkNanos(this, TICK_NANOS);
                continue;
            }
            // Nothing pending: sleep until within() registers something. Its unpark comes after its
            // offer, and sleeping is set before the second look, so no registration is missed.
            sleeping = true;
            if (!sweep(System.nanoTime()) && !closed) {
                LockSupport.park(this);
            }
            sleeping = false;
        }
    }

    /** Expires every entry past its deadline; whether any entry is left. */
    private boolean sweep(long now) {
        boolean pending = false;
        Collection<Lane> all = lanes.values();
        for (Lane lane : all) {
            Entry e;
            while ((e = lane.queue.peek()) != null && e.deadline - now <= 0) {
                lane.queue.poll();
                e.expire();
            }
            pending |= e != null;
        }
        return pending;
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }

    /** The entries of one timeout length, in deadline order. */
    private static final class Lane {
        final long timeoutNanos;
        final ConcurrentLinkedQueue<Entry> queue = new ConcurrentLinkedQueue<>();

        Lane(Long timeoutNanos) {
            this.timeoutNanos = timeoutNanos;
        }
    }

    /** A deadline; lets go of its future once that completes. */
    private static final class Entry implements java.util.function.BiConsumer<Object, Throwable> {
        final long deadline;
        private volatile CompletableFuture<?> future;

        Entry(long deadline, CompletableFuture<?> future) {
            this.deadline = deadline;
            this.future = future;
        }

        @Override
        public void accept(Object value, Throwable err) {
            future = null;
        }

        void expire() {
            CompletableFuture<?> f = future;
            if (f != null) {
                f.completeExceptionally(new TimeoutException("no answer in time"));
            }
        }
    }
}
