package io.playconnect.bench.load;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Prints a status line every second while a step runs, so a long run shows that it moves. */
final class Progress implements AutoCloseable {
    private final ScheduledExecutorService timer;
    private final PrintStream out;
    private final String step;
    private final Supplier<String> status;
    private final long started = System.nanoTime();

    private Progress(PrintStream out, String step, Supplier<String> status) {
        this.out = out;
        this.step = step;
        this.status = status;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "load-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::print, 1, 1, TimeUnit.SECONDS);
    }

    static Progress start(PrintStream out, String step, Supplier<String> status) {
        return new Progress(out, step, status);
    }

    private void print() {
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        out.printf("  [%3ds] %s: %s%n", seconds, step, status.get());
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
