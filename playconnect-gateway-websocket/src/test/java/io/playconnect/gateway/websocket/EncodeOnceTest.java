package io.playconnect.gateway.websocket;

import io.playconnect.edge.EdgeMetrics;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Each event is encoded once for all WebSocket subscribers of the process, however many there are. */
class EncodeOnceTest {
    static final int SUBSCRIBERS = 50;
    static final int EVENTS = 20;

    @Test
    void fiftySubscribersAndTwentyEventsCostTwentyEncodes() {
        try (GatewayFixture fx = GatewayFixture.newBuilder().build()) {
            String room = Rooms.chat();
            List<WsClient> subscribers = new ArrayList<>();
            try {
                long from = 0;
                for (int i = 0; i < SUBSCRIBERS; i++) {
                    WsClient c = fx.connect("sub" + i);
                    subscribers.add(c);
                    from = Rooms.joinFresh(c, room).number("seq");
                }
                double before = fx.counter(EdgeMetrics.ENCODES, EdgeMetrics.TAG_PROTOCOL, WebSocketGateway.PROTOCOL);
                WsClient publisher = subscribers.get(0);
                for (int i = 1; i <= EVENTS; i++) {
                    Rooms.say(publisher, room, "event " + i, "e-" + i);
                }
                List<Long> expected = LongStream.rangeClosed(from + 1, from + EVENTS).boxed().toList();
                List<String> reference = null;
                for (WsClient c : subscribers) {
                    List<Msg> events = c.events(room, EVENTS);
                    assertThat(events).extracting(Msg::eventSeq).containsExactlyElementsOf(expected);
                    List<String> raws = events.stream().map(Msg::raw).toList();
                    if (reference == null) {
                        reference = raws;
                    }
                    assertThat(raws).as("every subscriber gets the same bytes").isEqualTo(reference);
                }
                double after = fx.counter(EdgeMetrics.ENCODES, EdgeMetrics.TAG_PROTOCOL, WebSocketGateway.PROTOCOL);
                assertThat(after - before).isEqualTo(EVENTS);
            } finally {
                subscribers.forEach(WsClient::close);
            }
        }
    }
}
