package io.playconnect.edge.limits;

import io.playconnect.edge.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionRateLimiterTest {

    @Test
    void theByteBudgetNeverLetsMoreThanOneSecondPlusItsRefillThrough() {
        long seed = 0x5EED_B17EL;
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 200; round++) {
            long perSecond = random.nextLong(100, 10_000);
            MutableClock clock = new MutableClock(Instant.EPOCH);
            ConnectionRateLimiter limiter = new ConnectionRateLimiter(EdgeLimits.newBuilder()
                    .messagesPerSecond(100_000).messageBurst(100_000).maxPayloadBytes(100)
                    .bytesPerSecond(perSecond).build(), clock);
            long passedBytes = 0;
            long elapsedMillis = 0;
            for (int i = 0; i < 500; i++) {
                int size = random.nextInt(0, 101);
                if (limiter.tryAcquire(size)) {
                    passedBytes += size;
                }
                long step = random.nextLong(0, 20);
                clock.advance(Duration.ofMillis(step));
                elapsedMillis += step;
            }
            long allowed = perSecond + (long) Math.ceil(perSecond * elapsedMillis / 1000.0);
            assertThat(passedBytes).as("round %d, seed %x", round, seed).isLessThanOrEqualTo(allowed);
        }
    }

    @Test
    void anEmptiedBudgetIsFullAgainAfterASecondAndNeverMoreThanFull() {
        MutableClock clock = new MutableClock(Instant.EPOCH);
        ConnectionRateLimiter limiter = new ConnectionRateLimiter(EdgeLimits.newBuilder()
                .messagesPerSecond(10).messageBurst(5).maxPayloadBytes(100).bytesPerSecond(1_000).build(), clock);
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryAcquire(10)).as("burst message %d", i).isTrue();
        }
        assertThat(limiter.tryAcquire(10)).as("burst used up").isFalse();
        clock.advance(Duration.ofMillis(100));
        assertThat(limiter.tryAcquire(10)).as("one message refilled in 100 ms at 10/s").isTrue();
        assertThat(limiter.tryAcquire(10)).isFalse();
        // A long silence fills the buckets to their size, not beyond.
        clock.advance(Duration.ofHours(1));
        int passed = 0;
        for (int i = 0; i < 20; i++) {
            passed += limiter.tryAcquire(0) ? 1 : 0;
        }
        assertThat(passed).isEqualTo(5);
    }

    @Test
    void aClockThatGoesBackRefillsNothing() {
        MutableClock clock = new MutableClock(Instant.EPOCH.plusSeconds(10));
        ConnectionRateLimiter limiter = new ConnectionRateLimiter(EdgeLimits.newBuilder()
                .messagesPerSecond(1).messageBurst(1).build(), clock);
        assertThat(limiter.tryAcquire(1)).isTrue();
        clock.advance(Duration.ofSeconds(-5));
        assertThat(limiter.tryAcquire(1)).isFalse();
    }
}
