package io.playconnect.core.codec;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class JsonBytesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void numbersAreWrittenAsLongToStringWouldWriteThem() {
        long[] edges = {0, 1, 9, 10, 99, 100, Long.MAX_VALUE, -1, -10, Long.MIN_VALUE};
        for (long v : edges) {
            assertThat(new JsonBytes(0).number(v).toString()).isEqualTo(Long.toString(v));
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            long v = random.nextLong() >>> random.nextInt(64);
            assertThat(new JsonBytes(0).number(v).toString()).isEqualTo(Long.toString(v));
        }
    }

    @Test
    void hexStringsMatchLongToHexString() {
        long[] edges = {0, 0xf, 0x10, 0xff, 0x100, -1, Long.MIN_VALUE, Long.MAX_VALUE};
        for (long v : edges) {
            assertThat(new JsonBytes(0).hexString(v).toString()).isEqualTo('"' + Long.toHexString(v) + '"');
        }
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 10_000; i++) {
            long v = random.nextLong() >>> random.nextInt(64);
            assertThat(new JsonBytes(0).hexString(v).toString()).isEqualTo('"' + Long.toHexString(v) + '"');
        }
    }

    @Test
    void stringsNeedingEscapesStayValidJson() throws Exception {
        String nasty = "quote \" backslash \\ newline \n tab \t nul \u0000 é 漢 😀";
        byte[] json = new JsonBytes(0).ascii("[").string(nasty).ascii(",").string(null).ascii("]").toByteArray();
        assertThat(JSON.readTree(json).get(0).asText()).isEqualTo(nasty);
        assertThat(JSON.readTree(json).get(1).isNull()).isTrue();
    }
}
