package io.playconnect.broker.memory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** One daemon thread that runs a store's periodic clean-up until closed. */
final class Sweeper implements AutoCloseable {
    private final ScheduledExecutorService executor;

    Sweeper(String name, Duration interval, Runnable task, HandlerFailures failures) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        long millis = interval.toMillis();
        executor.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                failures.record(name + " task", e);
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** Checks a sweep interval: positive and at least a millisecond. */
    static Duration checkInterval(Duration interval, String name) {
        if (interval == null) {
            throw new NullPointerException(name);
        }
        if (interval.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException(name + " must be at least 1 ms: " + interval);
        }
        return interval;
    }
}
