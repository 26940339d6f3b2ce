package io.playconnect.bench.load;

import org.HdrHistogram.Recorder;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The open-loop schedule shared by the rate workloads. */
class OpenLoopTest {

    @Test
    void sendsAreDueAtStartPlusIOverRate() {
        OpenLoop loop = new OpenLoop(1_000, 4);

        assertThat(loop.due(0)).isEqualTo(1_000);
        assertThat(loop.due(1)).isEqualTo(1_000 + 250_000_000L);
        assertThat(loop.due(8)).isEqualTo(1_000 + 2_000_000_000L);
    }

    @Test
    void aTurnIsNeverTakenBeforeItIsDueAndItsLagIsRecorded() {
        Recorder lag = new Recorder(TimeUnit.MINUTES.toMicros(1), 3);
        OpenLoop loop = OpenLoop.startingNow(100_000);
        for (long i = 0; i < 20; i++) {
            long due = loop.awaitTurn(i, lag);
            assertThat(due).isEqualTo(loop.due(i));
            assertThat(System.nanoTime()).isGreaterThanOrEqualTo(due);
        }
        assertThat(lag.getIntervalHistogram().getTotalCount()).isEqualTo(20);
    }

    @Test
    void aRateThatIsNotPositiveIsRefusedByName() {
        assertThatThrownBy(() -> OpenLoop.startingNow(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("perSecond");
    }
}
