package io.playconnect.edge.limits;

import io.github.bucket4j.TimeMeter;

import java.time.Clock;
import java.time.Instant;

/** Drives bucket4j from a {@link Clock}, so every bucket of the edge follows the edge's clock (and tests can move it). */
final class ClockTimeMeter implements TimeMeter {
    private final Clock clock;

    ClockTimeMeter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public long currentTimeNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public boolean isWallClockBased() {
        return true;
    }
}
