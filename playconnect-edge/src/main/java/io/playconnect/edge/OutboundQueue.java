package io.playconnect.edge;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One session's bounded queue towards its {@link SessionOutput}. Anyone may offer; one drain at a
 * time calls the output, in offer order, and only while the transport says it is writable. When
 * the queue passes its message or byte limit the session is a slow consumer: the queue is dropped
 * and the {@code overflow} callback closes the session. Drains run on the output's own executor
 * when it has one (a connection's event loop), else on the edge's pool.
 */
final class OutboundQueue {
    private static final Logger LOG = LoggerFactory.getLogger(OutboundQueue.class);
    private static final CloseReason SILENT = new CloseReason(CloseReason.Kind.GOING_AWAY, "");
    /** What a queued event holds besides its envelope bytes (counted against the byte limit). */
    static final int EVENT_OVERHEAD = 64;

    private final Queue<Item> items = new ConcurrentLinkedQueue<>();
    private final Queue<Runnable> roomWaiters = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicReference<CloseReason> closing = new AtomicReference<>();
    private volatile boolean flushBeforeClose;
    private final SessionOutput output;
    private final Executor executor;
    private final int maxMessages;
    private final long maxBytes;
    private final Runnable overflow;
    private final Runnable onOutputFailure;
    private volatile boolean writable = true;
    private volatile boolean closed;

    OutboundQueue(SessionOutput output, Executor executor, int maxMessages, long maxBytes, Runnable overflow,
                  Runnable onOutputFailure) {
        this.onOutputFailure = onOutputFailure;
        this.output = output;
        this.executor = executor;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.overflow = overflow;
    }

    /** Queues one call to the output; {@code size} is what it holds in memory, roughly its bytes. */
    void offer(int size, Consumer<SessionOutput> call) {
        if (enqueue(new Item(size, call, null, null))) {
            schedule();
        }
    }

    /**
     * Queues one live event of {@code subscriber}'s room. The drain is not started here: when the
     * queue needs one, it joins {@code batch}, which starts the drains of all its queues with one
     * task per executor.
     */
    void offerEvent(RoomSubscriber subscriber, OutboundEvent event, DrainBatch batch) {
        if (enqueue(new Item(event.data().length + EVENT_OVERHEAD, null, subscriber, event))
                && wip.getAndIncrement() == 0) {
            batch.add(this);
        }
    }

    /** Accounts for and adds the item; false when it was refused or dropped (nothing to drain). */
    private boolean enqueue(Item item) {
        if (closing.get() != null) {
            return false;
        }
        int n = count.incrementAndGet();
        long b = bytes.addAndGet(item.size);
        if (n > maxMessages || b > maxBytes) {
            count.decrementAndGet();
            bytes.addAndGet(-item.size);
            overflow.run();
            return false;
        }
        items.add(item);
        if (closed) {
            // Lost a race with close: nobody will drain, so free it here.
            items.clear();
            count.set(0);
            bytes.set(0);
            return false;
        }
        return true;
    }

    void writable(boolean value) {
        writable = value;
        if (value) {
            schedule();
        }
    }

    /** True while the queue is at most half full: a producer that can wait (a replay) may add more. */
    boolean hasRoom() {
        return count.get() <= maxMessages / 2 && bytes.get() <= maxBytes / 2;
    }

    /** Runs {@code task} once the queue has room again (at once if it has). */
    void whenRoom(Runnable task) {
        roomWaiters.add(task);
        schedule();
    }

    /**
     * Stops the queue and frees what it holds. With a reason, the output's {@code close} is called
     * (after any call in progress); with null (the transport is already gone) nothing more is called.
     * With {@code flush}, what is already queued goes out first if the transport is writable (so
     * the client learns why); a slow consumer's queue is dropped instead.
     */
    boolean close(CloseReason reason, boolean flush) {
        flushBeforeClose = flush;
        if (!closing.compareAndSet(null, reason == null ? SILENT : reason)) {
            return false;
        }
        schedule();
        return true;
    }

    boolean isClosing() {
        return closing.get() != null;
    }

    int queuedMessages() {
        return count.get();
    }

    long queuedBytes() {
        return bytes.get();
    }

    private void schedule() {
        if (wip.getAndIncrement() == 0) {
            try {
                executor.execute(this::drain);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                closed = true;
            }
        }
    }

    Executor executor() {
        return executor;
    }

    /** The executor refused a drain of this queue (it is shutting down): nothing will drain it again. */
    void rejected() {
        closed = true;
    }

    /** Calls the output with what is queued; one drain at a time, on {@link #executor()}. */
    void drain() {
        int missed = 1;
        do {
            CloseReason reason = closing.get();
            if (!closed && reason != null) {
                if (flushBeforeClose && reason != SILENT) {
                    deliverWhileWritable(true);
                }
                finish(reason);
            }
            if (!closed) {
                deliverWhileWritable(false);
                wakeWaiters();
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void deliverWhileWritable(boolean closingToo) {
        Item item;
        boolean delivered = false;
        while (writable && (closingToo || closing.get() == null) && (item = items.poll()) != null) {
            count.decrementAndGet();
            bytes.addAndGet(-item.size);
            delivered = true;
            try {
                item.deliver(output);
            } catch (RuntimeException e) {
                LOG.warn("session output failed; closing the session", e);
                close(new CloseReason(CloseReason.Kind.INTERNAL, "output failed"), false);
                onOutputFailure.run();
                return;
            }
        }
        if (delivered) {
            try {
                output.flush();
            } catch (RuntimeException e) {
                LOG.warn("session output failed to flush; closing the session", e);
                close(new CloseReason(CloseReason.Kind.INTERNAL, "output failed"), false);
                onOutputFailure.run();
            }
        }
    }

    private void wakeWaiters() {
        if (!roomWaiters.isEmpty() && hasRoom()) {
            Runnable task;
            while ((task = roomWaiters.poll()) != null) {
                task.run();
            }
        }
    }

    private void finish(CloseReason reason) {
        closed = true;
        items.clear();
        roomWaiters.clear();
        count.set(0);
        bytes.set(0);
        if (reason != SILENT) {
            try {
                output.close(reason);
            } catch (RuntimeException e) {
                LOG.warn("session output failed to close", e);
            }
        }
    }

    /** A queued call: a live event of a subscriber's room (no lambda per delivery), or any other call. */
    private record Item(int size, Consumer<SessionOutput> call, RoomSubscriber subscriber, OutboundEvent event) {
        void deliver(SessionOutput output) {
            if (event != null) {
                subscriber.write(output, event);
            } else {
                call.accept(output);
            }
        }
    }
}
