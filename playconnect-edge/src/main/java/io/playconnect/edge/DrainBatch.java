package io.playconnect.edge;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The session queues one room event made ready to drain, grouped by the executor each drains on.
 * {@link #submit} hands each executor ONE task that drains all of its queues, so an event for a
 * thousand subscribers on two event loops costs two hand-offs, not a thousand. Queues drained on
 * the edge's own pool go in chunks, so the pool's threads share a large room. Confined to the
 * room channel's executor; reused for every event.
 */
final class DrainBatch {
    private static final Logger LOG = LoggerFactory.getLogger(DrainBatch.class);
    /** Queues per task on the edge's pool: large enough to amortise the hand-off, small enough to spread. */
    static final int POOL_CHUNK = 64;

    private final Executor pool;
    private final List<Executor> executors = new ArrayList<>(4);
    private final List<List<OutboundQueue>> queues = new ArrayList<>(4);

    DrainBatch(Executor pool) {
        this.pool = pool;
    }

    /** A queue whose drain this batch now owes (its work-in-progress count went from 0 to 1). */
    void add(OutboundQueue queue) {
        Executor executor = queue.executor();
        int i = indexOf(executor);
        if (i < 0) {
            executors.add(executor);
            queues.add(new ArrayList<>());
            i = executors.size() - 1;
        }
        List<OutboundQueue> group = queues.get(i);
        group.add(queue);
        if (executor == pool && group.size() >= POOL_CHUNK) {
            hand(executor, group);
        }
    }

    /** Starts every drain owed: one task per executor (per chunk on the pool). */
    void submit() {
        for (int i = 0; i < executors.size(); i++) {
            List<OutboundQueue> group = queues.get(i);
            if (!group.isEmpty()) {
                hand(executors.get(i), group);
            }
        }
    }

    private int indexOf(Executor executor) {
        for (int i = 0; i < executors.size(); i++) {
            if (executors.get(i) == executor) {
                return i;
            }
        }
        return -1;
    }

    private static void hand(Executor executor, List<OutboundQueue> group) {
        OutboundQueue[] drains = group.toArray(new OutboundQueue[0]);
        group.clear();
        try {
            executor.execute(() -> drainAll(drains));
        } catch (RejectedExecutionException e) {
            // The executor is shutting down with its connections: nothing can be written there anyway.
            for (OutboundQueue q : drains) {
                q.rejected();
            }
        }
    }

    private static void drainAll(OutboundQueue[] drains) {
        for (OutboundQueue q : drains) {
            try {
                q.drain();
            } catch (RuntimeException e) {
                // One session's failure must not keep the others' events from going out.
                LOG.warn("draining a session queue failed", e);
            }
        }
    }
}
