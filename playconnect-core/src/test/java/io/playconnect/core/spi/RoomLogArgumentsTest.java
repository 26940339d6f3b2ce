package io.playconnect.core.spi;

import io.playconnect.core.RoomId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoomLogArgumentsTest {
    private static final RoomId ROOM = RoomId.of("test", "args");

    private static LogRecord record(long seq, int size) {
        return new LogRecord(ROOM, "e1", seq, 0, new byte[size]);
    }

    @Test
    void readAcceptsTheSmallestValidArgumentsAndRefusesEachBadOneByName() {
        assertThatCode(() -> RoomLogArguments.checkRead(ROOM, 0, 1)).doesNotThrowAnyException();
        assertThatThrownBy(() -> RoomLogArguments.checkRead(null, 0, 1))
                .isInstanceOf(NullPointerException.class).hasMessage("room");
        assertThatThrownBy(() -> RoomLogArguments.checkRead(ROOM, -1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("fromSeq must be >= 0: -1");
        assertThatThrownBy(() -> RoomLogArguments.checkRead(ROOM, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("max must be >= 1: 0");
    }

    @Test
    void resetAcceptsNextSeqOneAndRefusesZero() {
        assertThatCode(() -> RoomLogArguments.checkReset(ROOM, 1)).doesNotThrowAnyException();
        assertThatThrownBy(() -> RoomLogArguments.checkReset(null, 1))
                .isInstanceOf(NullPointerException.class).hasMessage("room");
        assertThatThrownBy(() -> RoomLogArguments.checkReset(ROOM, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("nextSeq must be >= 1: 0");
    }

    @Test
    void subscribeNamesTheMissingArgument() {
        RoomLog.RecordListener listener = record -> { };
        assertThatCode(() -> RoomLogArguments.checkSubscribe(ROOM, listener)).doesNotThrowAnyException();
        assertThatThrownBy(() -> RoomLogArguments.checkSubscribe(null, listener))
                .isInstanceOf(NullPointerException.class).hasMessage("room");
        assertThatThrownBy(() -> RoomLogArguments.checkSubscribe(ROOM, null))
                .isInstanceOf(NullPointerException.class).hasMessage("listener");
    }

    @Test
    void appendNeedsTheSeqRightAfterTheExpectedOne() {
        assertThatCode(() -> RoomLogArguments.checkNextSeq(record(5, 0), 4)).doesNotThrowAnyException();
        assertThatThrownBy(() -> RoomLogArguments.checkNextSeq(record(5, 0), 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("record seq must be expectedLastSeq + 1: seq 5, expectedLastSeq 3");
        assertThatThrownBy(() -> RoomLogArguments.checkNextSeq(record(5, 0), 5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRecordOfExactlyTheMaximumFitsAndOneByteMoreIsTooLarge() {
        assertThatCode(() -> RoomLogArguments.checkSize(record(1, 8), 8)).doesNotThrowAnyException();
        assertThatThrownBy(() -> RoomLogArguments.checkSize(record(1, 9), 8))
                .isInstanceOfSatisfying(BrokerException.class,
                        e -> assertThat(e.reason()).isEqualTo(BrokerException.Reason.TOO_LARGE))
                .hasMessage("record of 9 bytes exceeds the broker's maximum of 8");
    }
}
