package io.playconnect.gateway.websocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Idle connections are pinged, and closed with 1001 when nothing comes back. */
class HeartbeatTest {
    static GatewayFixture fx;

    @BeforeAll
    static void start() {
        fx = GatewayFixture.newBuilder()
                .options(Map.of("ping-interval", "250ms", "idle-timeout", "1500ms"))
                .build();
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void aSilentClientIsPingedThenClosedWith1001() throws IOException {
        try (RawWs raw = RawWs.connect(fx.wsUri, fx.token("quiet"))) {
            RawWs.Frame frame = raw.readFrame();
            while (frame.opcode() != RawWs.PING) {
                assertThat(frame.opcode()).isEqualTo(RawWs.TEXT);
                frame = raw.readFrame();
            }
            assertThat(raw.awaitCloseCode()).isEqualTo(CloseCodes.GOING_AWAY);
        }
    }

    @Test
    void aClientThatAnswersPingsStaysOpen() {
        try (WsClient alive = fx.connect("alive")) {
            // The JDK client answers pings by itself; the connection must outlive several idle timeouts.
            await().during(Duration.ofMillis(3500)).atMost(Duration.ofSeconds(6))
                    .until(() -> !alive.closed().isDone());
            alive.send("{\"op\":\"ping\"}");
            alive.nextOp("pong");
        }
    }
}
