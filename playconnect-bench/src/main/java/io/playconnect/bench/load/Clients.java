package io.playconnect.bench.load;

import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/** Steps the workloads share: making client specs, publishing in a window, waiting for deliveries. */
final class Clients {
    /** How often a waiting step looks at its counters. */
    private static final long POLL_MS = 20;

    private Clients() {
    }

    static List<ClientSpec> specs(LoadContext ctx, String userPrefix, int n, IntFunction<List<String>> rooms) {
        List<ClientSpec> specs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            specs.add(new ClientSpec(i, userPrefix + i, ctx.addresses().forClient(i), rooms.apply(i)));
        }
        return specs;
    }

    /** A client in no room, for publishing. */
    static ClientConnection publisher(LoadContext ctx, String user) throws InterruptedException {
        ClientSpec spec = new ClientSpec(0, user, ctx.addresses().forClient(0), List.of());
        try {
            return ctx.driver().connect(spec, new ClientListener() { })
                    .get(ctx.options().stepTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the publisher could not connect: " + e, e);
        }
    }

    /** What a round of publishing did: how many went through, the last position acknowledged. */
    record Published(int ok, int failed, long lastSeq, String firstFailure) {
    }

    /**
     * Publishes {@code count} payloads numbered from {@code firstNumber}, at most
     * {@code publishWindow} unanswered at once, and waits (bounded) for every answer.
     */
    static Published publish(LoadContext ctx, ClientConnection publisher, String room, int count, long firstNumber)
            throws InterruptedException {
        int window = ctx.options().publishWindow();
        Semaphore slots = new Semaphore(window);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong lastSeq = new AtomicLong(-1);
        AtomicReference<String> failure = new AtomicReference<>("");
        long end = System.nanoTime() + ctx.options().stepTimeout().toNanos();
        for (int i = 0; i < count; i++) {
            if (!slots.tryAcquire(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                break;
            }
            byte[] payload = Payloads.make(firstNumber + i, System.nanoTime(), ctx.options().payloadBytes());
            publisher.publish(room, payload).whenComplete((seq, e) -> {
                if (e == null) {
                    ok.incrementAndGet();
                    lastSeq.accumulateAndGet(seq, Math::max);
                } else {
                    failed.incrementAndGet();
                    failure.compareAndSet("", String.valueOf(e.getMessage()));
                }
                slots.release();
            });
        }
        if (slots.tryAcquire(window, Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            slots.release(window);
        }
        return new Published((int) ok.get(), count - (int) ok.get(), lastSeq.get(), failure.get());
    }

    /** Waits (bounded by the step timeout) until the tracked room's deliveries reach {@code expected}. */
    static boolean awaitTotal(LoadContext ctx, String step, Deliveries d, long expected) throws InterruptedException {
        return await(ctx, step, () -> d.total() >= expected, () -> d.total() + "/" + expected + " delivered");
    }

    /** Waits (bounded) for a condition, printing progress. */
    static boolean await(LoadContext ctx, String step, java.util.function.BooleanSupplier done,
                         java.util.function.Supplier<String> status) throws InterruptedException {
        long end = System.nanoTime() + ctx.options().stepTimeout().toNanos();
        try (Progress p = Progress.start(ctx.progress(), step, status)) {
            while (!done.getAsBoolean()) {
                if (System.nanoTime() > end) {
                    return false;
                }
                Thread.sleep(POLL_MS);
            }
        }
        return true;
    }

    /** Drops every open client at once and waits (bounded) until all are closed. */
    static void dropAll(LoadContext ctx, Fleet.Opened opened) {
        List<CompletableFuture<Void>> drops = new ArrayList<>();
        for (int i = 0; i < opened.clients().length(); i++) {
            ClientConnection c = opened.get(i);
            if (c != null) {
                drops.add(c.drop());
            }
        }
        try {
            CompletableFuture.allOf(drops.toArray(CompletableFuture[]::new))
                    .get(ctx.options().stepTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            ctx.progress().println("  some clients did not close: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Quiet time (a pause in the benchmark itself, not synchronisation). */
    static void pause(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    /** The usual percentiles of a latency histogram (microseconds), in milliseconds. */
    static Map<String, Object> latencyFigures(Histogram micros) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("latency_samples", micros.getTotalCount());
        m.put("latency_p50_ms", ms(micros.getValueAtPercentile(50)));
        m.put("latency_p90_ms", ms(micros.getValueAtPercentile(90)));
        m.put("latency_p99_ms", ms(micros.getValueAtPercentile(99)));
        m.put("latency_p999_ms", ms(micros.getValueAtPercentile(99.9)));
        m.put("latency_max_ms", ms(micros.getMaxValue()));
        return m;
    }

    static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }

    static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }
}
