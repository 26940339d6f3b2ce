package io.playconnect.broker.memory;

import io.playconnect.core.spi.BrokerException;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Times requests out with one thread and no scheduled task per request.
 *
 * <p>Requesters hand their request over through a lock-free queue. The timer thread sorts them into
 * one FIFO per timeout (rounded up to the tick): requests with the same timeout expire in the order
 * they were made, so each FIFO only ever needs its head looked at. A head that was already answered
 * is dropped at once, and since answers mostly come in request order, the queues stay about as long
 * as the number of requests really waiting. The same thread runs the broker's housekeeping.
 */
final class RequestTimer {
    private final ConcurrentLinkedQueue<PendingRequest> incoming = new ConcurrentLinkedQueue<>();
    private final Map<Long, ArrayDeque<PendingRequest>> byTimeout = new HashMap<>();
    private final long tickNanos;
    private final long housekeepingNanos;
    private final Runnable housekeeping;
    private final HandlerFailures failures;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile int queued;

    RequestTimer(String name, long tickNanos, long housekeepingNanos, Runnable housekeeping,
            HandlerFailures failures) {
        this.tickNanos = tickNanos;
        this.housekeepingNanos = housekeepingNanos;
        this.housekeeping = housekeeping;
        this.failures = failures;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Watches {@code p} until it is answered or its deadline passes. */
    void watch(PendingRequest p) {
        incoming.offer(p);
        if (!running) {
            p.fail(closed());
        }
    }

    /** Requests handed over and not yet dropped; for tests. */
    int queued() {
        return queued + incoming.size();
    }

    void close() {
        running = false;
        LockSupport.unpark(thread);
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        long nextHousekeeping = System.nanoTime() + housekeepingNanos;
        while (running) {
            long now = System.nanoTime();
            drainIncoming();
            expire(now);
            if (now - nextHousekeeping >= 0) {
                nextHousekeeping = now + housekeepingNanos;
                runHousekeeping();
            }
            LockSupport.parkNanos(this, tickNanos);
        }
        failEverything();
    }

    private void drainIncoming() {
        int added = 0;
        for (PendingRequest p; (p = incoming.poll()) != null; ) {
            if (!p.isDone()) {
                long ticks = (p.timeoutNanos + tickNanos - 1) / tickNanos;
                byTimeout.computeIfAbsent(ticks, t -> new ArrayDeque<>()).addLast(p);
                added++;
            }
        }
        queued += added;
    }

    private void expire(long now) {
        int dropped = 0;
        for (Iterator<ArrayDeque<PendingRequest>> it = byTimeout.values().iterator(); it.hasNext(); ) {
            ArrayDeque<PendingRequest> fifo = it.next();
            for (PendingRequest head; (head = fifo.peekFirst()) != null; ) {
                boolean expired = now - head.deadlineNanos >= 0;
                if (!head.isDone() && !expired) {
                    break;
                }
                fifo.pollFirst();
                dropped++;
                if (expired) {
                    head.fail(new BrokerException(BrokerException.Reason.TIMEOUT, "no reply on " + head.subject
                            + " within " + TimeUnit.NANOSECONDS.toMillis(head.timeoutNanos) + " ms"));
                }
            }
            if (fifo.isEmpty()) {
                it.remove();
            }
        }
        queued -= dropped;
    }

    private void runHousekeeping() {
        try {
            housekeeping.run();
        } catch (RuntimeException e) {
            failures.record("housekeeping task", e);
        }
    }

    private void failEverything() {
        BrokerException closed = closed();
        drainIncoming();
        byTimeout.values().forEach(fifo -> fifo.forEach(p -> p.fail(closed)));
        byTimeout.clear();
        queued = 0;
    }

    private static BrokerException closed() {
        return new BrokerException(BrokerException.Reason.UNAVAILABLE, "broker closed");
    }
}
