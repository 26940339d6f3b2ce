package io.playconnect.engine;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The partition's one thread and its queue: many producers, one consumer, no locks. The consumer
 * parks only after it found the queue empty; a producer that moves the depth from zero wakes it.
 */
final class PartitionExecutor implements Executor {
    private static final System.Logger LOG = System.getLogger(PartitionExecutor.class.getName());
    private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger depth = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;

    PartitionExecutor(String name) {
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void execute(Runnable task) {
        queue.offer(task);
        if (depth.getAndIncrement() == 0) {
            LockSupport.unpark(thread);
        }
    }

    /** Tasks queued and not yet started. */
    int depth() {
        return Math.max(0, depth.get());
    }

    void shutdown() {
        running = false;
        LockSupport.unpark(thread);
    }

    private void loop() {
        while (running || !queue.isEmpty()) {
            Runnable task = queue.poll();
            if (task == null) {
                // The timeout is a safety net only; wake-ups come from execute().
                LockSupport.parkNanos(this, PARK_NANOS);
                continue;
            }
            depth.decrementAndGet();
            try {
                task.run();
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.ERROR, "task failed on " + thread.getName(), t);
            }
        }
    }
}
