package io.playconnect.gateway.websocket;

import io.playconnect.core.spi.RoomLogConfig;
import io.playconnect.edge.EdgeMetrics;
import io.playconnect.edge.spi.Listener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.playconnect.gateway.websocket.Rooms.joinFresh;
import static io.playconnect.gateway.websocket.Rooms.say;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The wire contract of DESIGN section 5, spoken by the JDK's WebSocket client over real sockets. */
class GatewayContractTest {
    static final int RETENTION = 20;
    static GatewayFixture fx;

    @BeforeAll
    static void start() {
        fx = GatewayFixture.newBuilder()
                .roomLog(RoomLogConfig.newBuilder().maxRecordsPerRoom(RETENTION).build())
                .build();
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void listenerIsWsOnTheSharedHttpPort() {
        assertThat(fx.listeners).containsExactly(new Listener("ws",
                java.net.URI.create("ws://127.0.0.1:" + fx.http.boundAddress().getPort() + "/ws")));
    }

    @Test
    void publishIsAckedAndEveryJoinedClientGetsTheEventWithThePayloadVerbatim() {
        String room = Rooms.chat();
        try (WsClient alice = fx.connect("alice"); WsClient bob = fx.connect("bob")) {
            assertThat(alice.socket().getSubprotocol()).isEqualTo(WebSocketConfig.SUBPROTOCOL);
            Msg joined = joinFresh(alice, room);
            assertThat(joined.flag("recovered")).isFalse();
            joinFresh(bob, room);

            String payload = "{\"text\":\"hello\",  \"n\":[1, 2.50], \"u\":\"\\u00e9t\u00e9\"}";
            alice.send("{\"correlationId\":\"c-1\",\"payload\":" + payload
                    + ",\"op\":\"publish\",\"type\":\"chat.message\",\"room\":\"" + room + "\"}");
            Msg ack = alice.nextOp("ack");
            assertThat(ack.text("correlationId")).isEqualTo("c-1");
            assertThat(ack.number("seq")).isEqualTo(joined.number("seq") + 1);
            assertThat(ack.text("room")).isEqualTo(room);
            assertThat(ack.text("epoch")).isEqualTo(joined.text("epoch"));

            for (WsClient c : List.of(alice, bob)) {
                Msg event = c.events(room, 1).get(0);
                assertThat(event.raw()).startsWith("{\"op\":\"event\",\"event\":{\"v\":1,")
                        .endsWith(",\"payload\":" + payload + "}}");
                assertThat(event.eventSeq()).isEqualTo(ack.number("seq"));
                assertThat(event.get("event").path("origin").path("protocol").asText()).isEqualTo("websocket");
                assertThat(event.get("event").path("origin").path("user").asText()).isEqualTo("alice");
                assertThat(event.get("event").path("correlationId").asText()).isEqualTo("c-1");
            }
        }
    }

    @Test
    void publishWithoutCorrelationIdGetsOneMinted() {
        String room = Rooms.chat();
        try (WsClient c = fx.connect("carol")) {
            joinFresh(c, room);
            c.send("{\"op\":\"publish\",\"room\":\"" + room + "\",\"type\":\"message\",\"payload\":{\"text\":\"x\"}}");
            Msg ack = c.nextOp("ack");
            assertThat(ack.text("correlationId")).isNotBlank();
            Msg event = c.events(room, 1).get(0);
            assertThat(event.get("event").path("correlationId").asText()).isEqualTo(ack.text("correlationId"));
            assertThat(event.get("event").path("type").asText()).isEqualTo("chat.message");
        }
    }

    @Test
    void pingOpGetsPongAndProtocolPingsGetPongs() throws Exception {
        try (WsClient c = fx.connect("dan")) {
            c.send("{\"op\":\"ping\"}");
            assertThat(c.nextOp("pong").raw()).isEqualTo("{\"op\":\"pong\"}");
        }
        try (RawWs raw = RawWs.connect(fx.wsUri, fx.token("dan"))) {
            assertThat(raw.response.status()).isEqualTo(101);
            raw.sendFrame(RawWs.PING, new byte[]{'h', 'i'}, true);
            RawWs.Frame pong = raw.readFrame();
            while (pong.opcode() == RawWs.TEXT) {
                pong = raw.readFrame();
            }
            assertThat(pong.opcode()).isEqualTo(RawWs.PONG);
            assertThat(pong.text()).isEqualTo("hi");
        }
    }

    @Test
    void anExpiredTokenClosesWith4002() {
        try (WsClient c = WsClient.connect(fx.wsUri, fx.token("ivy", GatewayFixture.CHAT_ONLY,
                Instant.now().plusSeconds(2)))) {
            c.nextOp("authenticated");
            WsClient.Closed closed = c.awaitClosed();
            assertThat(closed.code()).isEqualTo(CloseCodes.TOKEN_EXPIRED);
            assertThat(closed.reason()).contains("expired");
        }
    }

    @Test
    void framesAndBytesInAndOutAreCountedThroughTheEdge() {
        String[] ws = {EdgeMetrics.TAG_PROTOCOL, WebSocketGateway.PROTOCOL};
        try (WsClient c = fx.connect("max")) {
            c.send("{\"op\":\"ping\"}");
            c.nextOp("pong");
            double in = fx.counter(EdgeMetrics.FRAMES_IN, ws);
            double out = fx.counter(EdgeMetrics.FRAMES_OUT, ws);
            double bytesIn = fx.counter(EdgeMetrics.BYTES_IN, ws);
            double bytesOut = fx.counter(EdgeMetrics.BYTES_OUT, ws);
            c.send("{\"op\":\"ping\"}");
            c.nextOp("pong");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(fx.counter(EdgeMetrics.FRAMES_IN, ws)).isGreaterThanOrEqualTo(in + 1);
                assertThat(fx.counter(EdgeMetrics.FRAMES_OUT, ws)).isGreaterThanOrEqualTo(out + 1);
                assertThat(fx.counter(EdgeMetrics.BYTES_IN, ws)).isGreaterThanOrEqualTo(bytesIn + 13);
                assertThat(fx.counter(EdgeMetrics.BYTES_OUT, ws)).isGreaterThanOrEqualTo(bytesOut + 13);
            });
        }
    }

    @Test
    void badInputGetsTypedErrorsAndTheConnectionStaysOpen() {
        String room = Rooms.chat();
        try (WsClient c = fx.connect("erin")) {
            c.send("{\"op\":\"join\",");
            Msg malformed = c.nextOp("error");
            assertThat(malformed.text("code")).isEqualTo("bad_request");
            assertThat(malformed.flag("retry")).isFalse();

            c.send("{\"op\":\"dance\"}");
            assertThat(c.nextOp("error").text("code")).isEqualTo("unknown_op");
            c.send("{\"op\":\"join\",\"room\":\"no dots\"}");
            assertThat(c.nextOp("error").text("code")).isEqualTo("bad_room");
            c.send("{\"op\":\"join\",\"room\":\"doc.secret\"}");
            Msg forbidden = c.nextOp("error");
            assertThat(forbidden.text("code")).isEqualTo("forbidden");
            assertThat(forbidden.text("room")).isEqualTo("doc.secret");
            c.send("{\"op\":\"publish\",\"room\":\"" + room + "\",\"payload\":{},\"correlationId\":\"nt\"}");
            Msg noType = c.nextOp("error");
            assertThat(noType.text("code")).isEqualTo("bad_request");
            assertThat(noType.text("correlationId")).isEqualTo("nt");

            joinFresh(c, room);
            c.send(Rooms.publish(room, "", "empty-1"));
            Msg rejected = c.nextOp("error");
            assertThat(rejected.text("code")).isEqualTo("bad_payload");
            assertThat(rejected.text("correlationId")).isEqualTo("empty-1");

            assertThat(say(c, room, "still open", "ok-1").number("seq")).isPositive();
            assertThat(c.closed()).isNotDone();
        }
    }

    @Test
    void presenceListsMembersWithTheirProtocolThenJoinsAndLeaves() {
        String room = Rooms.chat();
        try (WsClient alice = fx.connect("alice")) {
            joinFresh(alice, room);
            WsClient bob = fx.connect("bob");
            joinFresh(bob, room);
            alice.next(m -> m.op().equals("presence") && m.get("joined").path("user").asText().equals("bob"));

            alice.send("{\"op\":\"presence\",\"room\":\"" + room + "\"}");
            Msg list = alice.next(m -> m.op().equals("presence") && m.get("members").size() == 2);
            assertThat(list.get("members").findValuesAsText("user")).containsExactlyInAnyOrder("alice", "bob");
            assertThat(list.get("members").findValuesAsText("protocol")).containsOnly("websocket");
            assertThat(list.get("members").findValuesAsText("connectionId")).doesNotContain("").hasSize(2);

            bob.close();
            Msg left = alice.next(m -> m.op().equals("presence") && m.get("left").path("user").asText().equals("bob"));
            assertThat(left.get("left").path("protocol").asText()).isEqualTo("websocket");
        }
    }

    @Test
    void aLaterAuthFrameRefreshesTheTokenWithoutReconnecting() {
        String room = Rooms.chat();
        try (WsClient c = WsClient.connect(fx.wsUri, null)) {
            c.send(auth(fx.token("frank", GatewayFixture.CHAT_ONLY, Instant.now().plusSeconds(600))));
            Msg first = c.nextOp("authenticated");
            assertThat(first.text("user")).isEqualTo("frank");
            joinFresh(c, room);

            c.send(auth(fx.token("frank", GatewayFixture.CHAT_ONLY, Instant.now().plus(Duration.ofHours(2)))));
            Msg refreshed = c.nextOp("authenticated");
            assertThat(refreshed.number("expiresAt")).isGreaterThan(first.number("expiresAt"));

            c.send(auth(fx.token("mallory")));
            Msg refused = c.nextOp("error");
            assertThat(refused.text("code")).isIn("unauthenticated", "forbidden");
            assertThat(say(c, room, "after refresh", "r-1").number("seq")).isPositive();

            c.send(auth(fx.token("frank", Map.of("chat.elsewhere", GatewayFixture.ALL_SCOPES),
                    Instant.now().plus(Duration.ofHours(2)))));
            Msg dropped = c.next(m -> m.op().equals("error") && room.equals(m.text("room")));
            assertThat(dropped.text("code")).isEqualTo("forbidden");
            assertThat(c.closed()).isNotDone();
        }
    }

    @Test
    void resumingWithinRetentionGetsExactlyTheMissedEvents() {
        String room = Rooms.chat();
        try (WsClient writer = fx.connect("alice"); WsClient reader = fx.connect("bob")) {
            Msg joined = joinFresh(writer, room);
            long since = say(writer, room, "m1", "res-1").number("seq");
            long[] missed = new long[3];
            for (int i = 0; i < missed.length; i++) {
                missed[i] = say(writer, room, "m" + (i + 2), "res-" + (i + 2)).number("seq");
            }
            reader.send("{\"op\":\"join\",\"room\":\"" + room + "\",\"since\":" + since + ",\"epoch\":\""
                    + joined.text("epoch") + "\"}");
            Msg resumed = reader.nextOp("joined", room);
            assertThat(resumed.flag("recovered")).isTrue();
            assertThat(resumed.number("seq")).isEqualTo(since);
            assertThat(reader.events(room, 3)).extracting(Msg::eventSeq).containsExactly(missed[0], missed[1], missed[2]);
            assertThat(reader.received()).noneMatch(m -> m.op().equals("snapshot"));
        }
    }

    @Test
    void resumingPastRetentionGetsASnapshotAndRecoveredFalse() {
        String room = Rooms.chat();
        try (WsClient writer = fx.connect("alice"); WsClient late = fx.connect("bob")) {
            Msg joined = joinFresh(writer, room);
            long last = 0;
            for (int i = 1; i <= RETENTION + 5; i++) {
                last = say(writer, room, "old " + i, "old-" + i).number("seq");
            }
            late.send("{\"op\":\"join\",\"room\":\"" + room + "\",\"since\":1,\"epoch\":\"" + joined.text("epoch") + "\"}");
            Msg resumed = late.nextOp("joined", room);
            assertThat(resumed.flag("recovered")).isFalse();
            Msg snapshot = late.nextOp("snapshot", room);
            assertThat(snapshot.number("seq")).isEqualTo(last).isEqualTo(resumed.number("seq"));
            assertThat(snapshot.text("epoch")).isEqualTo(joined.text("epoch"));
            assertThat(snapshot.get("state").path("count").asLong()).isEqualTo(RETENTION + 5);
        }
    }

    @Test
    void resumingFromAnotherEpochGetsASnapshotAndRecoveredFalse() {
        String room = Rooms.chat();
        try (WsClient c = fx.connect("alice"); WsClient other = fx.connect("bob")) {
            joinFresh(c, room);
            long seq = say(c, room, "before", "ep-1").number("seq");
            other.send("{\"op\":\"join\",\"room\":\"" + room + "\",\"since\":1,\"epoch\":\"not-this-one\"}");
            assertThat(other.nextOp("joined", room).flag("recovered")).isFalse();
            assertThat(other.nextOp("snapshot", room).number("seq")).isEqualTo(seq);
        }
    }

    @Test
    void theSubprotocolIsSelectedWhenOfferedAndOthersAreRefused() {
        try (WsClient none = WsClient.connect(fx.wsUri, fx.token("gina"), Map.of(), List.of())) {
            assertThat(none.socket().getSubprotocol()).isEmpty();
            assertThat(none.nextOp("authenticated").text("user")).isEqualTo("gina");
        }
        try (WsClient both = WsClient.connect(fx.wsUri, fx.token("gina"), Map.of(),
                List.of("other.v9", WebSocketConfig.SUBPROTOCOL))) {
            assertThat(both.socket().getSubprotocol()).isEqualTo(WebSocketConfig.SUBPROTOCOL);
        }
        assertThatThrownBy(() -> WsClient.connect(fx.wsUri, fx.token("gina"), Map.of(), List.of("mqtt")))
                .satisfies(e -> assertThat(WsClient.refusedStatus(e)).isEqualTo(400));
    }

    @Test
    void perMessageCompressionIsNeverNegotiated() {
        try (RawWs raw = RawWs.connect(fx.wsUri, "/ws?token=" + fx.token("hal"),
                Map.of("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"), 0)) {
            assertThat(raw.response.status()).isEqualTo(101);
            assertThat(raw.response.headers()).doesNotContainKey("sec-websocket-extensions");
        }
    }

    @Test
    void aPlainGetOfTheEndpointIsRefusedWith426() {
        assertThat(RawWs.plainGet(fx.wsUri, "/ws")).isEqualTo(426);
    }

    static String auth(String token) {
        return "{\"op\":\"auth\",\"token\":\"" + token + "\"}";
    }
}
