package io.playconnect.edge.limits;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * The per-connection inbound budget: one token bucket for messages per second (with a burst) and
 * one for bytes per second, both refilled continuously. A message passes only when both have room,
 * and a refused message costs nothing.
 *
 * <p>Every connection has one, so it is two numbers and a time (about 60 bytes) rather than a
 * general-purpose bucket per limit (bucket4j's two cost about ten times that per connection).
 */
public final class ConnectionRateLimiter {
    private static final double NANOS_PER_SECOND = 1e9;

    private final Clock clock;
    private final double messageRate;
    private final double messageBurst;
    private final double byteRate;
    /** Guarded by this. */
    private double messages;
    private double bytes;
    private long lastNanos;

    public ConnectionRateLimiter(EdgeLimits limits, Clock clock) {
        Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.messageRate = limits.messagesPerSecond();
        this.messageBurst = limits.messageBurst();
        this.byteRate = limits.bytesPerSecond();
        this.messages = messageBurst;
        this.bytes = byteRate;
        this.lastNanos = nanos();
    }

    /** Takes one message of {@code size} bytes from the budget, or nothing and returns false. */
    public synchronized boolean tryAcquire(int size) {
        long cost = Math.max(0, size);
        refill();
        if (messages < 1 || cost > bytes) {
            return false;
        }
        messages -= 1;
        bytes -= cost;
        return true;
    }

    private void refill() {
        long now = nanos();
        long elapsed = now - lastNanos;
        if (elapsed <= 0) {
            return;
        }
        lastNanos = now;
        double seconds = elapsed / NANOS_PER_SECOND;
        messages = Math.min(messageBurst, messages + seconds * messageRate);
        bytes = Math.min(byteRate, bytes + seconds * byteRate);
    }

    private long nanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
