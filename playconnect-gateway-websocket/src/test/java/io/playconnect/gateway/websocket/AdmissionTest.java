package io.playconnect.gateway.websocket;

import io.playconnect.edge.EdgeMetrics;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A connection the edge does not admit is upgraded and closed with 1013 and the reason, which a
 * browser can see (it never sees the status of a refused handshake).
 */
class AdmissionTest {

    @Test
    void overTheConnectionLimitTheHandshakeSucceedsThenClosesWith1013() {
        try (GatewayFixture fx = GatewayFixture.newBuilder().limits(l -> l.maxConnections(2)).build()) {
            WsClient first = fx.connect("a1");
            try (WsClient second = fx.connect("a2")) {
                double framesOut = fx.counter(EdgeMetrics.FRAMES_OUT, EdgeMetrics.TAG_PROTOCOL, "websocket");
                try (WsClient third = WsClient.connect(fx.wsUri, fx.token("a3"))) {
                    WsClient.Closed closed = third.awaitClosed();
                    assertThat(closed.code()).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
                    assertThat(closed.reason()).startsWith("overloaded: ");
                }
                assertThat(fx.counter(EdgeMetrics.SESSIONS_REFUSED, EdgeMetrics.TAG_PROTOCOL, "websocket",
                        EdgeMetrics.TAG_REASON, "overloaded")).isEqualTo(1);
                // The close frame is counted just after it is written, so the client may see it first.
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                        fx.counter(EdgeMetrics.FRAMES_OUT, EdgeMetrics.TAG_PROTOCOL, "websocket")).isEqualTo(framesOut + 1));

                first.close();
                await().atMost(Duration.ofSeconds(10)).until(() -> fx.edge.sessionCount() == 1);
                try (WsClient again = fx.connect("a4")) {
                    again.send("{\"op\":\"ping\"}");
                    again.nextOp("pong");
                }
            }
        }
    }
}
