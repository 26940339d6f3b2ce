package io.playconnect.gateway.websocket;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** With a port of its own the gateway behaves the same, and answers 404 beside its path. */
class StandalonePortTest {

    @Test
    void ownPortServesTheSameContract() {
        try (GatewayFixture fx = GatewayFixture.newBuilder().ownPort(true).build()) {
            assertThat(fx.wsUri.getPort()).isNotEqualTo(fx.http.boundAddress().getPort());
            assertThat(fx.wsUri.toString()).startsWith("ws://127.0.0.1:").endsWith("/ws");
            String room = Rooms.chat();
            try (WsClient c = fx.connect("sam")) {
                long from = Rooms.joinFresh(c, room).number("seq");
                Msg ack = Rooms.say(c, room, "hi", "own-1");
                assertThat(ack.number("seq")).isEqualTo(from + 1);
                assertThat(c.events(room, 1).get(0).eventSeq()).isEqualTo(from + 1);
            }
            assertThat(RawWs.plainGet(fx.wsUri, "/elsewhere")).isEqualTo(404);
            assertThat(RawWs.plainGet(fx.wsUri, "/ws")).isEqualTo(426);
        }
    }
}
