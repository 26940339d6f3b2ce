package io.playconnect.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class NatsParserTest {

    /** Records what the parser found, one line per operation. */
    private static final class Recorder implements NatsParser.Handler {
        final List<String> ops = new ArrayList<>();

        @Override
        public void onInfo(String json) {
            ops.add("INFO " + json);
        }

        @Override
        public void onMsg(String subject, int sid, ByteBuf payload) {
            ops.add("MSG " + subject + " " + sid + " " + payload.toString(StandardCharsets.US_ASCII));
        }

        @Override
        public void onPing() {
            ops.add("PING");
        }

        @Override
        public void onPong() {
            ops.add("PONG");
        }

        @Override
        public void onError(String message) {
            ops.add("ERR " + message);
        }
    }

    private static final String STREAM = "INFO {\"server_id\":\"x\"}\r\n+OK\r\nPING\r\n"
            + "MSG chat.a 1 5\r\nhello\r\nMSG chat.b 2 _INBOX.1 7\r\nwith\r\nn\r\nPONG\r\n"
            + "MSG chat.a 1 0\r\n\r\n-ERR 'Unknown Protocol Operation'\r\n";

    private static final List<String> EXPECTED = List.of("INFO {\"server_id\":\"x\"}", "PING", "MSG chat.a 1 hello",
            "MSG chat.b 2 with\r\nn", "PONG", "MSG chat.a 1 ", "ERR 'Unknown Protocol Operation'");

    @Test
    void parsesEveryOperationInOnePiece() {
        Recorder r = new Recorder();
        new NatsParser(r).feed(Unpooled.copiedBuffer(STREAM, StandardCharsets.US_ASCII));

        assertThat(r.ops).containsExactlyElementsOf(EXPECTED);
    }

    @Test
    void parsesTheSameWhereverTheStreamIsCut() {
        byte[] bytes = STREAM.getBytes(StandardCharsets.US_ASCII);
        for (long seed = 1; seed <= 300; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            Recorder r = new Recorder();
            NatsParser parser = new NatsParser(r);
            int at = 0;
            while (at < bytes.length) {
                int len = Math.min(bytes.length - at, 1 + random.nextInt(12));
                parser.feed(Unpooled.wrappedBuffer(bytes, at, len));
                at += len;
            }
            assertThat(r.ops).as("seed %d", seed).containsExactlyElementsOf(EXPECTED);
        }
    }

    @Test
    void reportsAMalformedMsgLineAndGoesOn() {
        Recorder r = new Recorder();
        new NatsParser(r).feed(Unpooled.copiedBuffer("MSG broken\r\nPING\r\n", StandardCharsets.US_ASCII));

        assertThat(r.ops).hasSize(2);
        assertThat(r.ops.get(0)).startsWith("ERR client: bad MSG line");
        assertThat(r.ops.get(1)).isEqualTo("PING");
    }
}
