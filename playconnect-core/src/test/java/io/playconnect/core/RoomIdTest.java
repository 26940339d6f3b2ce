package io.playconnect.core;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class RoomIdTest {
    private static final Pattern ROOM = Pattern.compile("[a-z][a-z0-9_-]{0,31}\\.[A-Za-z0-9_-]{1,127}");
    private static final String ALPHABET = "abzAZ09_-.é /\u0000";

    /** The hand-written validation must accept exactly what the documented patterns accept. */
    @Test
    void validationAgreesWithTheDocumentedPatterns() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int len = rnd.nextInt(12);
            for (int j = 0; j < len; j++) {
                sb.append(ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
            }
            String s = sb.toString();
            boolean accepted;
            try {
                RoomId.parse(s);
                accepted = true;
            } catch (SyncException e) {
                assertThat(e.code()).isEqualTo(ErrorCode.BAD_ROOM);
                accepted = false;
            }
            assertThat(accepted).as("'%s'", s).isEqualTo(ROOM.matcher(s).matches());
        }
    }

    @Test
    void lengthLimitsHold() {
        assertThat(RoomId.parse("a".repeat(32) + ".x").kind()).hasSize(32);
        assertThat(RoomId.parse("a." + "x".repeat(127)).id()).hasSize(127);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RoomId.parse("a".repeat(33) + ".x"))
                .isInstanceOf(SyncException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RoomId.parse("a." + "x".repeat(128)))
                .isInstanceOf(SyncException.class);
    }
}
