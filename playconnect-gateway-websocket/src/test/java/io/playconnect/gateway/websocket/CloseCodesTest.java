package io.playconnect.gateway.websocket;

import io.playconnect.edge.CloseReason;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class CloseCodesTest {

    @Test
    void everyEdgeCloseKindHasItsCode() {
        assertThat(CloseCodes.of(CloseReason.Kind.GOING_AWAY)).isEqualTo(1001);
        assertThat(CloseCodes.of(CloseReason.Kind.POLICY)).isEqualTo(1008);
        assertThat(CloseCodes.of(CloseReason.Kind.OVERLOADED)).isEqualTo(1013);
        assertThat(CloseCodes.of(CloseReason.Kind.INTERNAL)).isEqualTo(1011);
        assertThat(CloseCodes.of(CloseReason.Kind.UNAUTHENTICATED)).isEqualTo(4001);
        assertThat(CloseCodes.of(CloseReason.Kind.TOKEN_EXPIRED)).isEqualTo(4002);
        assertThat(CloseCodes.of(CloseReason.Kind.SLOW_CONSUMER)).isEqualTo(4003);
        assertThat(CloseCodes.of(CloseReason.Kind.KICKED)).isEqualTo(4004);
    }

    @Test
    void shortReasonsAreKept() {
        assertThat(CloseCodes.truncateReason("bye")).isEqualTo("bye");
        assertThat(CloseCodes.truncateReason(null)).isEmpty();
        String exact = "r".repeat(CloseCodes.MAX_REASON_BYTES);
        assertThat(CloseCodes.truncateReason(exact)).isEqualTo(exact);
    }

    /** Property: any reason is cut to at most 123 bytes, on a character boundary, as a prefix. */
    @Test
    void longReasonsAreCutOnCharacterBoundaries() {
        String[] alphabet = {"a", "\u00e9", "\u6f22", "\ud83d\ude00"};
        for (long seed = 1; seed <= 300; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            StringBuilder b = new StringBuilder();
            int n = r.nextInt(200);
            for (int i = 0; i < n; i++) {
                b.append(alphabet[r.nextInt(alphabet.length)]);
            }
            String reason = b.toString();
            String cut = CloseCodes.truncateReason(reason);
            int bytes = cut.getBytes(StandardCharsets.UTF_8).length;
            assertThat(bytes).as("seed %d", seed).isLessThanOrEqualTo(CloseCodes.MAX_REASON_BYTES);
            assertThat(reason).as("seed %d", seed).startsWith(cut);
            assertThat(cut.isEmpty() || !Character.isHighSurrogate(cut.charAt(cut.length() - 1)))
                    .as("seed %d ends inside a surrogate pair", seed).isTrue();
            if (reason.getBytes(StandardCharsets.UTF_8).length > CloseCodes.MAX_REASON_BYTES) {
                assertThat(bytes).as("seed %d cuts no more than one character too many", seed)
                        .isGreaterThan(CloseCodes.MAX_REASON_BYTES - 4);
            } else {
                assertThat(cut).as("seed %d", seed).isEqualTo(reason);
            }
        }
    }
}
