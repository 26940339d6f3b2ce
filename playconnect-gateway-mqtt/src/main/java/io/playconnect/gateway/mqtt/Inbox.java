package io.playconnect.gateway.mqtt;

import io.netty.util.concurrent.EventExecutor;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Hands tasks from any thread (edge callbacks, broker deliveries) to a connection's event loop, in
 * order, running everything queued in one event-loop task followed by one flush.
 */
final class Inbox {
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Supplier<EventExecutor> executor;
    private final Consumer<Runnable> runner;
    private final Runnable afterBatch;
    private final Runnable executorGone;

    Inbox(Supplier<EventExecutor> executor, Consumer<Runnable> runner, Runnable afterBatch, Runnable executorGone) {
        this.executor = executor;
        this.runner = runner;
        this.afterBatch = afterBatch;
        this.executorGone = executorGone;
    }

    void post(Runnable task) {
        tasks.add(task);
        if (scheduled.compareAndSet(false, true)) {
            try {
                executor.get().execute(this::drain);
            } catch (RejectedExecutionException e) {
                // The event loop is gone with the gateway: nothing can be written any more.
                tasks.clear();
                executorGone.run();
            }
        }
    }

    private void drain() {
        // Cleared first: a task posted during the loop below schedules its own drain.
        scheduled.set(false);
        Runnable task;
        while ((task = tasks.poll()) != null) {
            runner.accept(task);
        }
        afterBatch.run();
    }
}
