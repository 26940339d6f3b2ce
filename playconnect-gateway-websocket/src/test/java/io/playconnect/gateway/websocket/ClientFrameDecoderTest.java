package io.playconnect.gateway.websocket;

import io.playconnect.core.ErrorCode;
import io.playconnect.core.RoomId;
import io.playconnect.core.StreamPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientFrameDecoderTest {

    private static ClientFrame decode(String json) {
        return ClientFrameDecoder.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void decodesEveryOp() {
        assertThat(decode("{\"op\":\"auth\",\"token\":\"abc\"}")).isEqualTo(new ClientFrame.Auth("abc"));
        assertThat(decode("{\"op\":\"join\",\"room\":\"game.42\"}"))
                .isEqualTo(new ClientFrame.Join(RoomId.parse("game.42"), null));
        assertThat(decode("{\"op\":\"join\",\"room\":\"game.42\",\"since\":7,\"epoch\":\"e1\"}"))
                .isEqualTo(new ClientFrame.Join(RoomId.parse("game.42"), new StreamPosition("e1", 7)));
        assertThat(decode("{\"op\":\"leave\",\"room\":\"game.42\"}"))
                .isEqualTo(new ClientFrame.Leave(RoomId.parse("game.42")));
        assertThat(decode("{\"op\":\"presence\",\"room\":\"game.42\"}"))
                .isEqualTo(new ClientFrame.Presence(RoomId.parse("game.42")));
        assertThat(decode("{\"op\":\"ping\"}")).isEqualTo(new ClientFrame.Ping());
        ClientFrame.Publish p = (ClientFrame.Publish) decode("{\"op\":\"publish\",\"room\":\"game.42\",\"type\":\"move\","
                + "\"payload\":{\"move\":\"e4\"},\"correlationId\":\"c1\",\"traceparent\":\"00-ab-cd-01\"}");
        assertThat(p.room()).isEqualTo(RoomId.parse("game.42"));
        assertThat(p.type()).isEqualTo("move");
        assertThat(new String(p.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"move\":\"e4\"}");
        assertThat(p.correlationId()).isEqualTo("c1");
        assertThat(p.traceparent()).isEqualTo("00-ab-cd-01");
    }

    @Test
    void fieldsMayComeInAnyOrderAndUnknownOnesAreSkipped() {
        ClientFrame.Publish p = (ClientFrame.Publish) decode("{\"payload\":[1,{\"a\":null}],\"x\":{\"deep\":[1,2]},"
                + "\"correlationId\":null,\"type\":\"t\",\"room\":\"chat.a\",\"op\":\"publish\"}");
        assertThat(new String(p.payload(), StandardCharsets.UTF_8)).isEqualTo("[1,{\"a\":null}]");
        assertThat(p.correlationId()).isNull();
    }

    /** Property: whatever JSON value and whitespace a client sends as payload, the exact bytes come out. */
    @Test
    void payloadIsSlicedVerbatimForRandomValues() {
        for (long seed = 1; seed <= 500; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            String payload = RandomJson.value(random, 0);
            List<String> fields = new ArrayList<>(List.of("\"op\":\"publish\"", "\"room\":\"chat.r" + seed + "\"",
                    "\"type\":\"message\"", "\"payload\":" + RandomJson.ws(random) + payload + RandomJson.ws(random)));
            Collections.shuffle(fields, new java.util.Random(seed));
            String frame = "{" + String.join(",", fields) + "}";
            ClientFrame.Publish p = (ClientFrame.Publish) decode(frame);
            assertThat(new String(p.payload(), StandardCharsets.UTF_8)).as("seed %d, frame %s", seed, frame)
                    .isEqualTo(payload);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"op\":\"join\",                                      | bad_request",
        "[1,2]                                                 | bad_request",
        "\"just a string\"                                     | bad_request",
        "{\"op\":\"ping\"} {\"op\":\"ping\"}                   | bad_request",
        "{\"room\":\"chat.a\"}                                 | bad_request",
        "{\"op\":7}                                            | bad_request",
        "{\"op\":\"ping\",\"op\":\"ping\"}                     | bad_request",
        "{\"op\":\"auth\"}                                     | bad_request",
        "{\"op\":\"auth\",\"token\":\"\"}                      | bad_request",
        "{\"op\":\"join\",\"room\":\"chat.a\",\"since\":-1,\"epoch\":\"e\"} | bad_request",
        "{\"op\":\"join\",\"room\":\"chat.a\",\"since\":1.5,\"epoch\":\"e\"} | bad_request",
        "{\"op\":\"join\",\"room\":\"chat.a\",\"since\":3}      | bad_request",
        "{\"op\":\"join\",\"room\":\"chat.a\",\"epoch\":\"e\"}  | bad_request",
        "{\"op\":\"join\",\"room\":{\"x\":1}}                  | bad_request",
        "{\"op\":\"publish\",\"room\":\"chat.a\",\"payload\":1} | bad_request",
        "{\"op\":\"publish\",\"room\":\"chat.a\",\"type\":\"m\"} | bad_request",
        "{\"op\":\"dance\"}                                    | unknown_op",
        "{\"op\":\"\"}                                         | unknown_op",
        "{\"op\":\"join\"}                                     | bad_room",
        "{\"op\":\"join\",\"room\":\"nodot\"}                  | bad_room",
        "{\"op\":\"leave\",\"room\":\"Chat.a\"}                | bad_room",
        "{\"op\":\"presence\",\"room\":\"chat.a b\"}           | bad_room",
    })
    void badFramesGetTypedCodes(String frame, String code) {
        assertThatThrownBy(() -> decode(frame.strip()))
                .isInstanceOf(BadFrameException.class)
                .satisfies(e -> assertThat(((BadFrameException) e).code().wireName()).isEqualTo(code));
    }

    @Test
    void errorsCarryTheCorrelationIdWhenItWasReadFirst() {
        assertThatThrownBy(() -> decode("{\"correlationId\":\"c9\",\"op\":\"publish\",\"room\":\"bad\","
                + "\"type\":\"m\",\"payload\":{}}"))
                .satisfies(e -> {
                    BadFrameException bad = (BadFrameException) e;
                    assertThat(bad.code()).isEqualTo(ErrorCode.BAD_ROOM);
                    assertThat(bad.correlationId()).isEqualTo("c9");
                });
    }

    @Test
    void errorMessagesStayShortAndPrintable() {
        String op = "\u0001".repeat(300);
        assertThatThrownBy(() -> decode("{\"op\":\"" + "x".repeat(300) + "\"}"))
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(120));
        assertThat(ClientFrameDecoder.shorten(op)).matches("[\\x20-\\x7e]*").hasSizeLessThanOrEqualTo(103);
    }

    @Test
    void deeplyNestedPayloadIsABadRequestNotAStackOverflow() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertThatThrownBy(() -> decode("{\"op\":\"publish\",\"room\":\"chat.a\",\"type\":\"m\",\"payload\":" + deep + "}"))
                .isInstanceOf(BadFrameException.class)
                .satisfies(e -> assertThat(((BadFrameException) e).code()).isEqualTo(ErrorCode.BAD_REQUEST));
    }

    /** Random JSON text with random insignificant whitespace. */
    static final class RandomJson {
        private RandomJson() {
        }

        static String value(SplittableRandom r, int depth) {
            int kind = depth > 3 ? r.nextInt(5) : r.nextInt(7);
            return switch (kind) {
                case 0 -> "null";
                case 1 -> r.nextBoolean() ? "true" : "false";
                case 2 -> Long.toString(r.nextLong(-1_000_000, 1_000_000)) + (r.nextBoolean() ? ".25e3" : "");
                case 3, 4 -> string(r);
                case 5 -> {
                    StringBuilder b = new StringBuilder("[").append(ws(r));
                    int n = r.nextInt(4);
                    for (int i = 0; i < n; i++) {
                        b.append(i > 0 ? "," + ws(r) : "").append(value(r, depth + 1)).append(ws(r));
                    }
                    yield b.append(']').toString();
                }
                default -> {
                    StringBuilder b = new StringBuilder("{").append(ws(r));
                    int n = r.nextInt(4);
                    for (int i = 0; i < n; i++) {
                        b.append(i > 0 ? "," + ws(r) : "").append("\"k").append(i).append('"').append(ws(r))
                                .append(':').append(ws(r)).append(value(r, depth + 1)).append(ws(r));
                    }
                    yield b.append('}').toString();
                }
            };
        }

        static String string(SplittableRandom r) {
            String[] parts = {"a", "\\\"", "\\\\", "\\u00e9", "\u00e9", "\u6f22", "\ud83d\ude00", " ", "\\n"};
            StringBuilder b = new StringBuilder("\"");
            int n = r.nextInt(6);
            for (int i = 0; i < n; i++) {
                b.append(parts[r.nextInt(parts.length)]);
            }
            return b.append('"').toString();
        }

        static String ws(SplittableRandom r) {
            return switch (r.nextInt(4)) {
                case 0 -> " ";
                case 1 -> "\n\t ";
                default -> "";
            };
        }
    }
}
