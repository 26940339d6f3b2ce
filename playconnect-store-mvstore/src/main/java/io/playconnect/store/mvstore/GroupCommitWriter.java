package io.playconnect.store.mvstore;

import io.playconnect.core.spi.BrokerException;
import org.h2.mvstore.MVStore;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The store's one writer thread. Producers enqueue {@link WriteOp}s without a lock; the thread takes
 * everything waiting (up to a batch limit), applies it, commits the MVStore and forces the file to
 * disk once for the whole batch, then finishes each operation in order. While one batch syncs, the
 * next one gathers, so the cost of a sync is shared by every append that arrived during it.
 *
 * <p>A commit or sync that fails leaves memory ahead of the disk: the writer then fails that batch
 * and every later operation with {@link BrokerException.Reason#UNAVAILABLE}; the process should be
 * restarted, and the store reopens at its last durable commit.
 */
final class GroupCommitWriter implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(GroupCommitWriter.class.getName());
    private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long JOIN_MILLIS = 10_000;

    private final MVStore store;
    private final int maxBatch;
    private final long housekeepingNanos;
    private final Runnable housekeeping;
    private final ConcurrentLinkedQueue<WriteOp> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger depth = new AtomicInteger();
    private final AtomicLong syncs = new AtomicLong();
    private final AtomicLong opsWritten = new AtomicLong();
    private final Thread thread;
    private volatile boolean closing;
    private volatile boolean terminated;
    private volatile BrokerException failure;

    GroupCommitWriter(MVStore store, String name, int maxBatch, long housekeepingNanos, Runnable housekeeping) {
        this.store = store;
        this.maxBatch = maxBatch;
        this.housekeepingNanos = housekeepingNanos;
        this.housekeeping = housekeeping;
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues {@code op}; it fails at once when the writer is closed or has failed. */
    void submit(WriteOp op) {
        BrokerException refused = refusal();
        if (refused != null) {
            op.finish(refused);
            return;
        }
        queue.offer(op);
        if (depth.getAndIncrement() == 0) {
            LockSupport.unpark(thread);
        }
        // Closed while we were offering: whoever removes the op from the queue fails it.
        if (terminated && queue.remove(op)) {
            op.finish(closed());
        }
    }

    /** Null while operations are taken, else why not. */
    BrokerException refusal() {
        BrokerException f = failure;
        if (f != null) {
            return f;
        }
        return closing ? closed() : null;
    }

    /** Commits that were forced to disk so far (one per batch that changed anything). */
    long syncs() {
        return syncs.get();
    }

    /** Operations applied so far. */
    long opsWritten() {
        return opsWritten.get();
    }

    boolean inWriterThread() {
        return Thread.currentThread() == thread;
    }

    private static BrokerException closed() {
        return new BrokerException(BrokerException.Reason.UNAVAILABLE, "broker closed");
    }

    private void loop() {
        List<WriteOp> batch = new ArrayList<>();
        long nextHousekeeping = System.nanoTime() + housekeepingNanos;
        while (true) {
            WriteOp op;
            while (batch.size() < maxBatch && (op = queue.poll()) != null) {
                depth.decrementAndGet();
                batch.add(op);
            }
            if (!batch.isEmpty()) {
                write(batch);
                batch.clear();
            } else if (closing) {
                break;
            }
            long now = System.nanoTime();
            if (now - nextHousekeeping >= 0) {
                housekeep();
                nextHousekeeping = now + housekeepingNanos;
            } else if (queue.isEmpty()) {
                // The timeout is a safety net and the housekeeping clock; wake-ups come from submit().
                LockSupport.parkNanos(this, Math.min(PARK_NANOS, nextHousekeeping - now));
            }
        }
        terminate();
    }

    private void write(List<WriteOp> batch) {
        Throwable[] refusals = new Throwable[batch.size()];
        Throwable batchFailure = failure;
        boolean changed = false;
        for (int i = 0; i < batch.size() && batchFailure == null; i++) {
            try {
                changed |= batch.get(i).apply();
            } catch (BrokerException e) {
                refusals[i] = e;
            } catch (RuntimeException | Error e) {
                batchFailure = fail("applying a change", e);
            }
        }
        if (changed && batchFailure == null) {
            try {
                store.commit();
                store.sync();
                syncs.incrementAndGet();
            } catch (RuntimeException e) {
                batchFailure = fail("committing to disk", e);
            }
        }
        opsWritten.addAndGet(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            finish(batch.get(i), refusals[i] != null ? refusals[i] : batchFailure);
        }
    }

    private BrokerException fail(String what, Throwable cause) {
        BrokerException f = new BrokerException(BrokerException.Reason.UNAVAILABLE,
                "the data directory failed while " + what + "; restart the process: " + cause, cause);
        if (failure == null) {
            LOG.log(Level.ERROR, "The data directory failed while " + what + "; every later write fails", cause);
            failure = f;
        }
        return failure;
    }

    private static void finish(WriteOp op, Throwable failure) {
        try {
            op.finish(failure);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "A completion callback threw; the store goes on", e);
        }
    }

    private void housekeep() {
        if (failure != null) {
            return;
        }
        try {
            housekeeping.run();
            // Also forces what MVStore's background thread wrote (its compactions): emptied chunks
            // are reused after the retention time, which is only safe once the moves are on disk.
            store.commit();
            store.sync();
        } catch (RuntimeException e) {
            fail("housekeeping", e);
        }
    }

    private void terminate() {
        terminated = true;
        try {
            if (failure == null) {
                store.close();
            } else {
                store.closeImmediately();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Closing the store failed", e);
        }
        for (WriteOp op = queue.poll(); op != null; op = queue.poll()) {
            finish(op, closed());
        }
    }

    /** Writes what is queued, closes the store and stops the thread; waits a bounded time. */
    @Override
    public void close() {
        closing = true;
        LockSupport.unpark(thread);
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops the thread and abandons the file without a final commit, as a crash would: what was
     * synced stays, nothing else is written. For tests of recovery.
     */
    void abandon() {
        failure = new BrokerException(BrokerException.Reason.UNAVAILABLE, "abandoned");
        closing = true;
        LockSupport.unpark(thread);
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
