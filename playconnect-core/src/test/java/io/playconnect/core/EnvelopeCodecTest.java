package io.playconnect.core;

import io.playconnect.core.codec.EnvelopeCodec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvelopeCodecTest {
    private final EnvelopeCodec codec = EnvelopeCodec.instance();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void eventRoundTripKeepsPayloadBytesVerbatim() {
        byte[] payload = utf8("{ \"move\" : \"e4\",\"n\":[1, 2.50 ,\"\\u00e9\"] }");
        Event e = new Event("ep-7", "game.move", RoomId.parse("game.42"), 7, "ep", 1234L, "c1", null,
                new Origin("websocket", "alice"), payload);
        byte[] bytes = codec.encodeEvent(e);
        String json = new String(bytes, StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"v\":1,\"id\":\"ep-7\"").endsWith("\"payload\":" + new String(payload, StandardCharsets.UTF_8) + "}");
        Event back = codec.decodeEvent(bytes);
        assertThat(back.payload()).isEqualTo(payload);
        assertThat(back.seq()).isEqualTo(7);
        assertThat(back.origin()).isEqualTo(new Origin("websocket", "alice"));
        assertThat(back.traceparent()).isNull();
    }

    @Test
    void scalarPayloadsAreSlicedExactly() {
        for (String payload : new String[]{"\"hello \\\" there\"", "12.5e3", "true", "null", "[]"}) {
            Command c = new Command(RoomId.parse("chat.1"), "chat.message", utf8(payload), "k",
                    new Origin("mqtt", "bob"), "00-abc-def-01");
            Command back = codec.decodeCommand(codec.encodeCommand(c));
            assertThat(new String(back.payload(), StandardCharsets.UTF_8)).isEqualTo(payload);
            assertThat(back.traceparent()).isEqualTo("00-abc-def-01");
        }
    }

    @Test
    void malformedInputIsATypedError() {
        assertThatThrownBy(() -> codec.decodeCommand(utf8("{\"room\":\"chat.1\",\"payload\":{\"a\":}")))
                .isInstanceOf(SyncException.class)
                .extracting(t -> ((SyncException) t).code()).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThatThrownBy(() -> codec.decodeCommand(utf8("[1]")))
                .isInstanceOf(SyncException.class);
        assertThatThrownBy(() -> codec.decodeCommand(utf8("{\"room\":\"chat.1\",\"room\":\"chat.2\"}")))
                .isInstanceOf(SyncException.class);
    }

    @Test
    void resultsRoundTrip() {
        assertThat(codec.decodeResult(codec.encodeResult(new CommandResult.Accepted("e", 3))))
                .isEqualTo(new CommandResult.Accepted("e", 3));
        assertThat(codec.decodeResult(codec.encodeResult(CommandResult.rejected(ErrorCode.ILLEGAL_MOVE, "no"))))
                .isEqualTo(CommandResult.rejected(ErrorCode.ILLEGAL_MOVE, "no"));
    }

    @Test
    void roomIdsAreValidated() {
        assertThat(RoomId.parse("game.42").kind()).isEqualTo("game");
        for (String bad : new String[]{"", "game", "game.", ".42", "Game.42", "game.4.2", "game.4 2", "game.é"}) {
            assertThatThrownBy(() -> RoomId.parse(bad)).isInstanceOf(SyncException.class)
                    .extracting(t -> ((SyncException) t).code()).isEqualTo(ErrorCode.BAD_ROOM);
        }
    }

    @Test
    void partitionerIsStable() {
        Partitioner p = new Partitioner(16);
        assertThat(p.partitionOf(RoomId.parse("game.42"))).isEqualTo(p.partitionOf(RoomId.parse("game.42")))
                .isBetween(0, 15);
    }
}
