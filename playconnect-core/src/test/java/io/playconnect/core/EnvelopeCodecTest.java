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

    private static String randomText(java.util.SplittableRandom rnd) {
        String alphabet = "aZ09 \"\\/\n\t\u0000\u001féü€😀-_";
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(12);
        for (int i = 0; i < n; i++) {
            int at = rnd.nextInt(alphabet.length());
            char c = alphabet.charAt(at);
            if (Character.isHighSurrogate(c) && at + 1 < alphabet.length()) {
                sb.append(c).append(alphabet.charAt(at + 1));
            } else if (!Character.isLowSurrogate(c)) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Hostile strings in every field still give JSON that a standard parser reads back the same. */
    @Test
    void encodedEnvelopesAreValidJsonForAnyStrings() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
        for (int i = 0; i < 2000; i++) {
            String corr = randomText(rnd);
            String user = randomText(rnd);
            String trace = rnd.nextBoolean() ? null : randomText(rnd);
            byte[] payload = mapper.writeValueAsBytes(java.util.Map.of("t", randomText(rnd)));
            Event e = new Event("ep-" + (i + 1), "chat.message", RoomId.parse("chat.r" + i), i + 1, "ep", i,
                    corr, trace, new Origin("websocket", user), payload);
            byte[] bytes = codec.encodeEvent(e);
            com.fasterxml.jackson.databind.JsonNode tree = mapper.readTree(bytes);
            assertThat(tree.get("correlationId").asText()).as("case %d", i).isEqualTo(corr);
            assertThat(tree.get("origin").get("user").asText()).as("case %d", i).isEqualTo(user);
            assertThat(tree.get("traceparent").isNull()).isEqualTo(trace == null);
            Event back = codec.decodeEvent(bytes);
            assertThat(back.correlationId()).isEqualTo(corr);
            assertThat(back.payload()).isEqualTo(payload);
            Command c = new Command(e.room(), e.type(), payload, corr, e.origin(), trace);
            Command cb = codec.decodeCommand(codec.encodeCommand(c));
            assertThat(cb.correlationId()).isEqualTo(corr);
            assertThat(cb.origin()).isEqualTo(e.origin());
        }
    }

    @Test
    void theAcceptedFastPathAgreesWithTheGeneralParser() {
        assertThat(codec.decodeResult(utf8("{\"ok\":true,\"epoch\":\"a-b_C9\",\"seq\":42}")))
                .isEqualTo(new CommandResult.Accepted("a-b_C9", 42));
        // Shapes off the fast path still parse, through Jackson.
        assertThat(codec.decodeResult(utf8("{\"seq\":42,\"ok\":true,\"epoch\":\"e\"}")))
                .isEqualTo(new CommandResult.Accepted("e", 42));
        assertThat(codec.decodeResult(utf8("{\"ok\":true,\"epoch\":\"e e\",\"seq\":7}")))
                .isEqualTo(new CommandResult.Accepted("e e", 7));
        assertThat(codec.decodeResult(codec.encodeResult(new CommandResult.Accepted("x\"y", 9))))
                .isEqualTo(new CommandResult.Accepted("x\"y", 9));
    }
}
