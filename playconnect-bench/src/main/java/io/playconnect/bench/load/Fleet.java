package io.playconnect.bench.load;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntConsumer;

/**
 * Opens many clients with a bounded number of handshakes in flight (an unbounded burst of SYNs
 * only overflows the listen backlog and turns into 1 s retransmits), within a deadline.
 */
final class Fleet {
    private final ProtocolDriver driver;
    private final int maxPending;
    private final PrintStream progressOut;

    Fleet(ProtocolDriver driver, int maxPending, PrintStream progressOut) {
        if (maxPending < 1) {
            throw new IllegalArgumentException("maxPending must be >= 1: " + maxPending);
        }
        this.driver = driver;
        this.maxPending = maxPending;
        this.progressOut = progressOut;
    }

    /** The clients that opened (null where one failed) and why the others did not. */
    record Opened(AtomicReferenceArray<ClientConnection> clients, int connected, int failed, String firstFailure,
                  Duration took) {
        ClientConnection get(int i) {
            return clients.get(i);
        }
    }

    /**
     * Opens every spec (spec {@code i} must have index {@code i}); {@code onReady} runs on an I/O
     * thread as each one becomes ready. Gives up on what has not opened by the deadline.
     */
    Opened open(String step, List<ClientSpec> specs, ClientListener listener, Duration deadline, IntConsumer onReady)
            throws InterruptedException {
        int n = specs.size();
        AtomicReferenceArray<ClientConnection> clients = new AtomicReferenceArray<>(n);
        AtomicInteger connected = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ConcurrentHashMap<String, Boolean> reasons = new ConcurrentHashMap<>();
        Semaphore slots = new Semaphore(maxPending);
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        try (Progress p = Progress.start(progressOut, step, () -> connected.get() + "/" + n + " open, " + failed.get() + " failed")) {
            for (ClientSpec spec : specs) {
                long left = end - System.nanoTime();
                if (left <= 0 || !slots.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                    break;
                }
                CompletableFuture<ClientConnection> f = driver.connect(spec, listener);
                f.whenComplete((c, e) -> {
                    if (e == null) {
                        clients.set(spec.index(), c);
                        connected.incrementAndGet();
                        onReady.accept(spec.index());
                    } else {
                        failed.incrementAndGet();
                        reasons.putIfAbsent(String.valueOf(rootMessage(e)), Boolean.TRUE);
                    }
                    // Last: a released slot tells the waiting thread below that this client is counted.
                    slots.release();
                });
            }
            long left = end - System.nanoTime();
            // Wait for the last handshakes in flight: all slots back means nothing is pending.
            if (left > 0 && slots.tryAcquire(maxPending, left, TimeUnit.NANOSECONDS)) {
                slots.release(maxPending);
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        int notTried = n - connected.get() - failed.get();
        String first = reasons.keySet().stream().findFirst().orElse(notTried > 0 ? "deadline passed" : "");
        return new Opened(clients, connected.get(), n - connected.get(), first, took);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
