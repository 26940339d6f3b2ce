package io.playconnect.broker.nats;

import io.playconnect.core.spi.LogRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

/** Test helpers: a thread-safe list to wait on, and waiting for futures. */
final class Recorded<T> {
    static final Duration PATIENCE = Duration.ofSeconds(15);
    private final List<T> items = new ArrayList<>();

    synchronized void add(T item) {
        items.add(item);
    }

    synchronized List<T> snapshot() {
        return List.copyOf(items);
    }

    List<T> awaitSize(int n) {
        Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(10)).until(() -> snapshot().size() >= n);
        return snapshot();
    }

    static <T> T join(CompletableFuture<T> f) {
        try {
            return f.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("expected success, got " + e, e);
        }
    }

    /** The failure of {@code f} (unwrapped), or an assertion error when it succeeded. */
    static Throwable failure(CompletableFuture<?> f) {
        try {
            Object v = f.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected a failure, got " + v);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("unexpected " + e, e);
        }
    }

    static List<Long> seqs(List<LogRecord> records) {
        List<Long> out = new ArrayList<>();
        records.forEach(r -> out.add(r.seq()));
        return out;
    }
}
