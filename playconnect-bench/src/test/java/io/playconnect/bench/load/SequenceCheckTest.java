package io.playconnect.bench.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared position check behind every delivery listener: its zeros must mean no loss and no repeat. */
class SequenceCheckTest {

    @Test
    void aJumpCountsTheSkippedPositionsAndARepeatIsRefused() {
        SequenceCheck check = new SequenceCheck(2);
        assertThat(check.accept(0, 1)).isTrue();
        assertThat(check.accept(0, 2)).isTrue();
        assertThat(check.accept(0, 5)).isTrue();
        assertThat(check.accept(0, 5)).isFalse();
        assertThat(check.accept(0, 3)).isFalse();

        assertThat(check.gaps()).isEqualTo(2);
        assertThat(check.duplicates()).isEqualTo(2);
        assertThat(check.last(0)).isEqualTo(5);
        assertThat(check.last(1)).isZero();
    }

    @Test
    void aJoinMovesThePositionOnlyForwardAndForgetRestartsIt() {
        SequenceCheck check = new SequenceCheck(1);
        check.joinedAt(0, 10);
        check.joinedAt(0, 4);
        assertThat(check.last(0)).isEqualTo(10);
        assertThat(check.accept(0, 11)).isTrue();

        check.forget(0);
        assertThat(check.accept(0, 1)).isTrue();
        assertThat(check.gaps()).isZero();
        assertThat(check.duplicates()).isZero();
    }

    @Test
    void resetCountsKeepsEachPosition() {
        SequenceCheck check = new SequenceCheck(1);
        check.accept(0, 1);
        check.accept(0, 3);
        check.resetCounts();

        assertThat(check.gaps()).isZero();
        assertThat(check.accept(0, 4)).isTrue();
        assertThat(check.gaps()).isZero();
    }
}
