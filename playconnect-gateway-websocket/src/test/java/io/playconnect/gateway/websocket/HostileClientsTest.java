package io.playconnect.gateway.websocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each hostile client gets its typed error or its protocol close, while a well-behaved client in a
 * room beside it keeps receiving every event, in order.
 */
class HostileClientsTest {
    static final String ALLOWED_ORIGIN = "https://play.example";
    static GatewayFixture fx;
    private Bystanders bystanders;

    @BeforeAll
    static void start() {
        fx = GatewayFixture.newBuilder().allowedOrigins(List.of(ALLOWED_ORIGIN)).build();
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @BeforeEach
    void watch() {
        bystanders = new Bystanders();
        bystanders.publish(3);
    }

    @AfterEach
    void bystandersLostNothing() {
        bystanders.publish(3);
        bystanders.assertReceivedEverythingInOrder();
        bystanders.close();
    }

    @Test
    void invalidUtf8ClosesWith1007() {
        try (RawWs raw = authenticatedRaw("ivan")) {
            raw.sendFrame(RawWs.TEXT, new byte[]{'{', (byte) 0xc3, (byte) 0x28, '}'}, true);
            bystanders.publish(2);
            assertThat(raw.awaitCloseCode()).isEqualTo(CloseCodes.INVALID_PAYLOAD);
        }
    }

    @Test
    void aFrameOverTheLimitClosesWith1009() {
        int limit = fx.edge.limits().maxPayloadBytes() + WebSocketConfig.ENVELOPE_SLACK_BYTES;
        try (RawWs raw = authenticatedRaw("olga")) {
            raw.sendFrame(RawWs.TEXT, new byte[limit + 1], true);
            bystanders.publish(2);
            assertThat(raw.awaitCloseCode()).isEqualTo(CloseCodes.TOO_BIG);
        }
    }

    @Test
    void aFragmentedMessageOverTheLimitClosesWith1009() {
        int limit = fx.edge.limits().maxPayloadBytes() + WebSocketConfig.ENVELOPE_SLACK_BYTES;
        byte[] half = new byte[limit / 2 + 1];
        Arrays.fill(half, (byte) ' ');
        try (RawWs raw = authenticatedRaw("olga")) {
            raw.sendFrame(RawWs.TEXT, half, false);
            raw.sendFrame(0x0, half, true);
            assertThat(raw.awaitCloseCode()).isEqualTo(CloseCodes.TOO_BIG);
        }
    }

    @Test
    void aFrameJustUnderTheLimitIsAnErrorNotAClose() {
        int limit = fx.edge.limits().maxPayloadBytes() + WebSocketConfig.ENVELOPE_SLACK_BYTES;
        String room = Rooms.chat();
        String head = "{\"op\":\"publish\",\"room\":\"" + room + "\",\"type\":\"chat.message\",\"correlationId\":\"big\","
                + "\"payload\":{\"text\":\"";
        String text = "x".repeat(limit - head.length() - 3);
        try (WsClient c = fx.connect("paul")) {
            c.send(head + text + "\"}}");
            Msg error = c.nextOp("error");
            assertThat(error.text("code")).isEqualTo("payload_too_large");
            assertThat(error.text("correlationId")).isEqualTo("big");
            c.send("{\"op\":\"ping\"}");
            c.nextOp("pong");
        }
    }

    @Test
    void binaryFramesCloseWith1003() {
        try (WsClient c = fx.connect("bart")) {
            c.sendBinary(new byte[]{1, 2, 3});
            assertThat(c.awaitClosed().code()).isEqualTo(CloseCodes.UNSUPPORTED_DATA);
        }
    }

    @Test
    void aBadTokenGetsAnErrorThenCloses4001() throws IOException {
        try (RawWs raw = RawWs.connect(fx.wsUri, "not-a-jwt")) {
            assertThat(raw.response.status()).isEqualTo(101);
            assertThat(raw.nextMessage().text("code")).isEqualTo("unauthenticated");
            assertThat(raw.awaitCloseCode()).isEqualTo(CloseCodes.UNAUTHENTICATED);
        }
    }

    @Test
    void noTokenWithinTheDeadlineCloses4001() {
        try (WsClient c = WsClient.connect(fx.wsUri, null)) {
            bystanders.publish(2);
            WsClient.Closed closed = c.awaitClosed();
            assertThat(closed.code()).isEqualTo(CloseCodes.UNAUTHENTICATED);
            assertThat(closed.reason()).isNotBlank();
        }
    }

    @Test
    void aFloodIsRateLimitedThenClosedForPolicy() {
        try (RawWs raw = authenticatedRaw("flo")) {
            byte[] frame = RawWs.frame(RawWs.TEXT, "{\"op\":\"ping\"}".getBytes(), true);
            // One write of far more than the burst: rejected frames cost the server next to nothing, so
            // many more than the policy's limit are refused in a row between two refills of the bucket.
            int frames = 3000;
            byte[] burst = new byte[frame.length * frames];
            for (int i = 0; i < frames; i++) {
                System.arraycopy(frame, 0, burst, i * frame.length, frame.length);
            }
            raw.sendRaw(burst);
            List<String> errors = new ArrayList<>();
            int code = raw.awaitCloseCode(m -> {
                if (m.op().equals("error")) {
                    errors.add(m.text("code"));
                }
            });
            assertThat(errors).contains("rate_limited");
            assertThat(code).isEqualTo(CloseCodes.POLICY);
        }
    }

    @Test
    void aForeignOriginGets403BeforeTheUpgrade() {
        assertThatThrownBy(() -> WsClient.connect(fx.wsUri, fx.token("eve"),
                Map.of("Origin", "https://evil.example"), List.of(WebSocketConfig.SUBPROTOCOL)))
                .satisfies(e -> assertThat(WsClient.refusedStatus(e)).isEqualTo(403));
    }

    @Test
    void anAllowedOriginIgnoringCaseAndAClientWithoutOriginConnect() {
        try (WsClient browser = WsClient.connect(fx.wsUri, fx.token("amy"),
                Map.of("Origin", "https://PLAY.example"), List.of(WebSocketConfig.SUBPROTOCOL))) {
            assertThat(browser.nextOp("authenticated").text("user")).isEqualTo("amy");
        }
        try (WsClient service = WsClient.connect(fx.wsUri, fx.token("svc"))) {
            assertThat(service.nextOp("authenticated").text("user")).isEqualTo("svc");
        }
    }

    @Test
    void anUnauthenticatedJoinIsAnErrorNotADisconnectUntilTheDeadline() {
        try (WsClient c = WsClient.connect(fx.wsUri, null)) {
            c.send(Rooms.join(Rooms.chat()));
            assertThat(c.nextOp("error").text("code")).isEqualTo("unauthenticated");
        }
    }

    private static RawWs authenticatedRaw(String user) {
        RawWs raw = RawWs.connect(fx.wsUri, fx.token(user));
        assertThat(raw.response.status()).isEqualTo(101);
        try {
            assertThat(raw.nextMessage().op()).isEqualTo("authenticated");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return raw;
    }

    /** A watcher joined to a room and a publisher writing to it, both well-behaved. */
    private static final class Bystanders implements AutoCloseable {
        final String room = Rooms.chat();
        final WsClient watcher = fx.connect("watcher");
        final WsClient publisher = fx.connect("publisher");
        final long from;
        int published;

        Bystanders() {
            from = Rooms.joinFresh(watcher, room).number("seq");
        }

        void publish(int n) {
            for (int i = 0; i < n; i++) {
                published++;
                Rooms.say(publisher, room, "bystander " + published, "by-" + published);
            }
        }

        void assertReceivedEverythingInOrder() {
            assertThat(watcher.events(room, published)).extracting(Msg::eventSeq)
                    .containsExactlyElementsOf(LongStream.rangeClosed(from + 1, from + published).boxed().toList());
            assertThat(watcher.closed()).isNotDone();
        }

        @Override
        public void close() {
            watcher.close();
            publisher.close();
        }
    }
}
