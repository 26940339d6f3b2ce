package io.playconnect.gateway.websocket;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Draining: new handshakes get 503 with Retry-After; open connections are closed with 1001. */
class DrainTest {

    @Test
    void drainRefusesNewHandshakesThenTheEdgeClosesOpenOnesWith1001() {
        try (GatewayFixture fx = GatewayFixture.newBuilder().build()) {
            String room = Rooms.chat();
            try (WsClient open = fx.connect("olive")) {
                Rooms.joinFresh(open, room);

                fx.gateway.drain().join();
                try (RawWs refused = RawWs.connect(fx.wsUri, "/ws?token=" + fx.token("late"), Map.of(), 0)) {
                    assertThat(refused.response.status()).isEqualTo(503);
                    assertThat(refused.response.headers()).containsEntry("retry-after", "5");
                }
                assertThat(open.closed()).isNotDone();

                fx.edge.drain().join();
                WsClient.Closed closed = open.awaitClosed();
                assertThat(closed.code()).isEqualTo(CloseCodes.GOING_AWAY);
                assertThat(closed.reason()).isNotBlank();
            }
        }
    }
}
