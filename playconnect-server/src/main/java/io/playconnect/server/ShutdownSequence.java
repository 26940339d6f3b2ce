package io.playconnect.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The ordered steps of stopping, each logged and bounded by what is left of one overall budget. A
 * step that fails or runs out of time is logged and the next one still runs: the process must get
 * out within the budget whatever a component does. Run once, on one thread (the caller's).
 */
final class ShutdownSequence {
    private static final Logger log = LoggerFactory.getLogger(ShutdownSequence.class);

    private record Step(String description, Supplier<CompletableFuture<?>> action) {
    }

    private final List<Step> steps = new ArrayList<>();
    private final boolean quiet;

    /** @param quiet log the steps at DEBUG (undoing a failed start), not INFO (a drain) */
    ShutdownSequence(boolean quiet) {
        this.quiet = quiet;
    }

    ShutdownSequence() {
        this(false);
    }

    /** Adds a step; {@code action} starts it and its future says when it is done. */
    ShutdownSequence step(String description, Supplier<CompletableFuture<?>> action) {
        steps.add(new Step(description, action));
        return this;
    }

    /** Adds a step that completes when {@code action} returns. */
    ShutdownSequence stepNow(String description, Runnable action) {
        return step(description, () -> {
            action.run();
            return CompletableFuture.completedFuture(null);
        });
    }

    /** Runs every step in order within {@code budget}; true when all of them completed cleanly. */
    boolean run(Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        long begin = System.nanoTime();
        boolean clean = true;
        for (Step step : steps) {
            long left = deadline - System.nanoTime();
            step(step.description());
            clean &= runStep(step, Math.max(left, TimeUnit.MILLISECONDS.toNanos(100)));
        }
        step("done in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin) + " ms"
                + (clean ? "" : " (with errors)"));
        return clean;
    }

    private void step(String text) {
        if (quiet) {
            log.debug("shutdown: {}", text);
        } else {
            log.info("shutdown: {}", text);
        }
    }

    private static boolean runStep(Step step, long nanos) {
        try {
            step.action().get().get(nanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            log.warn("shutdown: {} did not finish in time; going on", step.description());
        } catch (ExecutionException e) {
            log.warn("shutdown: {} failed; going on", step.description(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("shutdown: interrupted during {}", step.description());
        } catch (RuntimeException | LinkageError e) {
            // LinkageError: a step whose code no longer loads (the jar was replaced under the
            // running process); the steps after it still run.
            log.warn("shutdown: {} failed; going on", step.description(), e);
        }
        return false;
    }
}
