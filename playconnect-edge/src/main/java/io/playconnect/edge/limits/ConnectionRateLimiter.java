package io.playconnect.edge.limits;

import io.github.bucket4j.Bucket;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The per-connection inbound budget: one bucket for messages per second (with a burst) and one for
 * bytes per second. A message passes only when both have room, and a refused message costs nothing.
 */
public final class ConnectionRateLimiter {
    private final Bucket messages;
    private final Bucket bytes;

    public ConnectionRateLimiter(EdgeLimits limits, Clock clock) {
        Objects.requireNonNull(limits, "limits");
        ClockTimeMeter meter = new ClockTimeMeter(Objects.requireNonNull(clock, "clock"));
        this.messages = Bucket.builder()
                .addLimit(l -> l.capacity(limits.messageBurst())
                        .refillGreedy(limits.messagesPerSecond(), Duration.ofSeconds(1)))
                .withCustomTimePrecision(meter)
                .build();
        this.bytes = Bucket.builder()
                .addLimit(l -> l.capacity(limits.bytesPerSecond())
                        .refillGreedy(limits.bytesPerSecond(), Duration.ofSeconds(1)))
                .withCustomTimePrecision(meter)
                .build();
    }

    /** Takes one message of {@code size} bytes from the budget, or nothing and returns false. */
    public boolean tryAcquire(int size) {
        long cost = Math.max(0, size);
        if (!messages.tryConsume(1)) {
            return false;
        }
        if (cost == 0 || bytes.tryConsume(cost)) {
            return true;
        }
        messages.addTokens(1);
        return false;
    }
}
