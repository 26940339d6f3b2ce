package io.playconnect.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PayloadsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aPayloadHasTheAskedSizeIsAChatMessageAndCarriesItsNumbers() throws IOException {
        for (long seed = 1; seed <= 200; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            long number = random.nextLong(0, Long.MAX_VALUE / 2);
            long sent = random.nextLong(0, Long.MAX_VALUE / 2);
            int size = random.nextInt(Payloads.MIN_SIZE, 300);

            byte[] payload = Payloads.make(number, sent, size);
            ByteBuf buf = Unpooled.wrappedBuffer(payload);

            assertThat(payload).as("seed %d", seed).hasSize(size);
            JsonNode json = JSON.readTree(payload);
            assertThat(json.path("text").asText()).as("seed %d", seed).isNotEmpty();
            assertThat(Payloads.sentNanos(buf, 0, payload.length)).as("seed %d", seed).isEqualTo(sent);
            assertThat(Payloads.number(buf, 0, payload.length)).as("seed %d", seed).isEqualTo(number);
        }
    }

    @Test
    void aPayloadWithoutTheFieldsReadsAsMinusOne() {
        ByteBuf buf = Unpooled.copiedBuffer("{\"text\":\"hi\"}", java.nio.charset.StandardCharsets.US_ASCII);

        assertThat(Payloads.sentNanos(buf, 0, buf.writerIndex())).isEqualTo(-1);
        assertThat(Payloads.number(buf, 0, buf.writerIndex())).isEqualTo(-1);
    }

    @Test
    void aSizeTooSmallIsRefusedNamingIt() {
        assertThatThrownBy(() -> Payloads.make(1, 1, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("payload size");
    }
}
