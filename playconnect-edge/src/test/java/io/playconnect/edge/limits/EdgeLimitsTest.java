package io.playconnect.edge.limits;

import io.playconnect.core.ErrorCode;
import io.playconnect.edge.MutableClock;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EdgeLimitsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        EdgeLimits d = EdgeLimits.defaults();
        assertThat(d.maxPayloadBytes()).isEqualTo(64 * 1024);
        assertThat(d.commandTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.authDeadline()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.toBuilder().build().toString()).isEqualTo(d.toString());
    }

    @Test
    void invalidValuesNameTheirParameter() {
        assertThatThrownBy(() -> EdgeLimits.newBuilder().messagesPerSecond(0)).hasMessageContaining("messagesPerSecond");
        assertThatThrownBy(() -> EdgeLimits.newBuilder().messageBurst(-1)).hasMessageContaining("messageBurst");
        assertThatThrownBy(() -> EdgeLimits.newBuilder().maxConnections(0)).hasMessageContaining("maxConnections");
        assertThatThrownBy(() -> EdgeLimits.newBuilder().outboundQueueBytes(0)).hasMessageContaining("outboundQueueBytes");
        assertThatThrownBy(() -> EdgeLimits.newBuilder().maxQueuedCommandsPerRoom(-1))
                .hasMessageContaining("maxQueuedCommandsPerRoom");
        assertThatThrownBy(() -> EdgeLimits.newBuilder().commandTimeout(Duration.ZERO)).hasMessageContaining("commandTimeout");
        assertThatThrownBy(() -> EdgeLimits.newBuilder().authDeadline(null)).hasMessageContaining("authDeadline");
        assertThatThrownBy(() -> EdgeLimits.newBuilder().bytesPerSecond(1000).build())
                .hasMessageContaining("bytesPerSecond").hasMessageContaining("maxPayloadBytes");
    }

    @Test
    void theConnectionBudgetNeverLetsMoreThanBurstPlusRateThrough() {
        long seed = 0xB0C4E7L;
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 200; round++) {
            int rate = random.nextInt(1, 50);
            int burst = random.nextInt(1, 100);
            MutableClock clock = new MutableClock(Instant.EPOCH);
            ConnectionRateLimiter limiter = new ConnectionRateLimiter(EdgeLimits.newBuilder()
                    .messagesPerSecond(rate).messageBurst(burst).build(), clock);
            int passed = 0;
            long elapsedMillis = 0;
            for (int i = 0; i < 500; i++) {
                if (limiter.tryAcquire(10)) {
                    passed++;
                }
                long step = random.nextLong(0, 20);
                clock.advance(Duration.ofMillis(step));
                elapsedMillis += step;
            }
            long allowed = burst + (long) Math.floor(rate * elapsedMillis / 1000.0) + 1;
            assertThat(passed).as("round %d, seed %x", round, seed).isLessThanOrEqualTo((int) allowed);
            assertThat(passed).as("round %d, seed %x: the burst always passes", round, seed)
                    .isGreaterThanOrEqualTo(Math.min(burst, 500));
        }
    }

    @Test
    void aMessageTooBigForTheByteBudgetCostsNoMessageToken() {
        MutableClock clock = new MutableClock(Instant.EPOCH);
        ConnectionRateLimiter limiter = new ConnectionRateLimiter(EdgeLimits.newBuilder()
                .messagesPerSecond(1).messageBurst(2).maxPayloadBytes(100).bytesPerSecond(100).build(), clock);
        assertThat(limiter.tryAcquire(100)).isTrue();
        assertThat(limiter.tryAcquire(100)).isFalse();
        assertThat(limiter.tryAcquire(0)).as("the refused message gave its token back").isTrue();
        assertThat(limiter.tryAcquire(0)).isFalse();
    }

    @Test
    void admissionSweepForgetsIdleAddresses() throws Exception {
        MutableClock clock = new MutableClock(Instant.EPOCH);
        AdmissionControl control = new AdmissionControl(EdgeLimits.newBuilder().connectionsPerSecondPerIp(2).build(), clock);
        InetAddress a = InetAddress.getByName("10.1.1.1");
        AdmissionControl.Slot s = control.tryAdmit(a);
        assertThat(s.granted()).isTrue();
        assertThat(control.connections()).isEqualTo(1);
        control.sweep();
        assertThat(control.trackedAddresses()).as("still connected").isEqualTo(1);
        s.release();
        s.release();
        assertThat(control.connections()).isZero();
        control.sweep();
        assertThat(control.trackedAddresses()).as("bucket not yet refilled").isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        control.sweep();
        assertThat(control.trackedAddresses()).isZero();
        AdmissionControl.Slot refused = new AdmissionControl(EdgeLimits.newBuilder().maxConnections(1).build(), clock)
                .tryAdmit(null);
        assertThat(refused.granted()).isTrue();
        assertThat(refused.code()).isNull();
        assertThat(ErrorCode.OVERLOADED.retryable()).isTrue();
    }
}
