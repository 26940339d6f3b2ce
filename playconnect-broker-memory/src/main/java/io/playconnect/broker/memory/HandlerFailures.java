package io.playconnect.broker.memory;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts callbacks that threw. It logs the first failure and then ever more rarely (at counts that
 * are powers of two), so that a handler failing on every message cannot flood the log.
 */
final class HandlerFailures {
    private static final System.Logger LOG = System.getLogger(HandlerFailures.class.getPackageName());
    private final AtomicLong count = new AtomicLong();

    /** Records {@code t}; rethrows it when the JVM itself is failing. */
    void record(String where, Throwable t) {
        if (t instanceof VirtualMachineError) {
            throw (VirtualMachineError) t;
        }
        long n = count.incrementAndGet();
        if (Long.bitCount(n) == 1) {
            LOG.log(Level.WARNING, "A " + where + " threw (" + n + " failure(s) so far); delivery to others goes on", t);
        }
    }

    long count() {
        return count.get();
    }
}
