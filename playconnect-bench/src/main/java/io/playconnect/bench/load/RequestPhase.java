package io.playconnect.bench.load;

import org.HdrHistogram.Recorder;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The counters of one phase of open-loop requests (commands, unary publishes): how many were sent,
 * answered, failed and by which code, and each answer's latency from the time it was due. The
 * answer callbacks run on the driver's I/O threads.
 */
final class RequestPhase {
    /** Latencies in microseconds, up to one minute. */
    private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(1);

    final long count;
    final LongAdder sent = new LongAdder();
    final LongAdder ok = new LongAdder();
    final LongAdder failed = new LongAdder();
    final Map<String, Long> errorsByCode = new ConcurrentHashMap<>();
    /** From each request's due time to its answer, for the answered ones. */
    final Recorder latency = new Recorder(MAX_MICROS, 3);
    final Recorder sendLag = new Recorder(MAX_MICROS, 3);
    volatile String firstError = "";
    double sendSeconds;
    private final AtomicLong answeredCount = new AtomicLong();
    private final Function<Throwable, String> codeOf;

    /** {@code codeOf} names a failure's code for {@code errorsByCode}. */
    RequestPhase(long count, Function<Throwable, String> codeOf) {
        this.count = count;
        this.codeOf = codeOf;
    }

    /** Counts the answer to the request due at {@code due}: a success when {@code e} is null. */
    void answered(long due, Throwable e) {
        if (e == null) {
            latency.recordValue(Math.min(MAX_MICROS, Math.max(0, (System.nanoTime() - due) / 1000)));
            ok.increment();
        } else {
            failed.increment();
            errorsByCode.merge(codeOf.apply(e), 1L, Long::sum);
            if (firstError.isEmpty()) {
                firstError = String.valueOf(e.getMessage());
            }
        }
        answeredCount.incrementAndGet();
    }

    String status() {
        return sent.sum() + "/" + count + " sent, " + ok.sum() + " ok, " + failed.sum() + " failed";
    }

    /** Waits (up to the step timeout) until every request was answered; false if some were not. */
    boolean awaitAnswers(LoadContext ctx, String step) throws InterruptedException {
        return Clients.await(ctx, step + " answers", () -> answeredCount.get() >= count,
                () -> answeredCount.get() + "/" + count + " answered");
    }
}
