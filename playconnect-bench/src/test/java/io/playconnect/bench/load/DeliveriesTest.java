package io.playconnect.bench.load;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The delivery checker must itself fail on loss and on repeats, or its zeros mean nothing. */
class DeliveriesTest {

    @Test
    void aCompleteStreamHasNoGapsAndNoDuplicates() {
        Deliveries d = new Deliveries(2, "chat.a");
        d.onJoined(0, "chat.a", "e1", 4, false);
        for (long seq = 5; seq <= 20; seq++) {
            d.onMessage(0, "chat.a", seq, System.nanoTime());
        }

        assertThat(d.gaps()).isZero();
        assertThat(d.duplicates()).isZero();
        assertThat(d.received(0)).isEqualTo(16);
        assertThat(d.lastSeq(0)).isEqualTo(20);
        assertThat(d.epoch(0)).isEqualTo("e1");
    }

    @Test
    void injectedLossAndRepeatsAreCountedExactly() {
        for (long seed = 1; seed <= 100; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            Deliveries d = new Deliveries(1, "chat.a");
            long lost = 0;
            long repeated = 0;
            d.onMessage(0, "chat.a", 1, -1);
            for (long seq = 2; seq <= 200; seq++) {
                int fate = random.nextInt(10);
                if (fate == 0) {
                    lost++;
                    continue;
                }
                d.onMessage(0, "chat.a", seq, -1);
                if (fate == 1) {
                    d.onMessage(0, "chat.a", seq, -1);
                    repeated++;
                }
            }
            // The last one always arrives, so a loss at the end still shows as a gap.
            d.onMessage(0, "chat.a", 201, -1);

            assertThat(d.gaps()).as("seed %d", seed).isEqualTo(lost);
            assertThat(d.duplicates()).as("seed %d", seed).isEqualTo(repeated);
        }
    }

    @Test
    void aSnapshotInsteadOfAReplayIsCountedWhileResuming() {
        Deliveries d = new Deliveries(1, "chat.a");
        d.catchUpTo(10, true);
        d.onJoined(0, "chat.a", "e2", 12, false);

        assertThat(d.snapshotsOnResume()).isEqualTo(1);
        assertThat(d.caughtUpCount()).isEqualTo(1);
    }

    @Test
    void otherRoomsAreNotTrackedButTheirLatencyIs() {
        Deliveries d = new Deliveries(1, "chat.a");
        d.onMessage(0, "chat.b", 7, System.nanoTime());

        assertThat(d.total()).isZero();
        assertThat(d.takeLatency().getTotalCount()).isEqualTo(1);
    }
}
