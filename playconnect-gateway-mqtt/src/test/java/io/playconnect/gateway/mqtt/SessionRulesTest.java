package io.playconnect.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.playconnect.core.spi.SessionStore;
import io.playconnect.store.redis.RedisSessionStore;
import io.playconnect.testkit.Prerequisites;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Session rules: takeover, another user's client id, expiry and its cap, clean start, the cap on
 * stored in-flight publishes, no session store, and a session resumed through a second gateway
 * sharing a Redis session store.
 */
class SessionRulesTest extends MqttFixture.SharedServer {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private static String storeId(String user, String clientId) {
        return Sessions.storeId(Sessions.hash(user, clientId));
    }

    private static void publish(MqttFixture server, String topic, String text) throws Exception {
        MqttClient publisher = Paho.v3(server.serverUri, "p-" + UUID.randomUUID(), server.token("pat"), null);
        publisher.publish(topic, ("{\"text\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8), 1, false);
        Paho.closeQuietly(publisher);
    }

    private static MqttMessage disconnect(int expiry) {
        MqttProperties props = new MqttProperties();
        props.add(new MqttProperties.IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL, expiry));
        return new MqttMessage(new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttReasonCodeAndPropertiesVariableHeader((byte) 0, props));
    }

    @Test
    void theSameUserTakesTheSessionOverAnotherUserGetsASessionOfItsOwn() {
        int n = MqttFixture.nextRoom();
        String id = "shared-" + n;
        try (RawMqtt first = Persistent.connect(server.port(), MqttVersion.MQTT_5, id, server.token("ann"), 600, false)) {
            first.send(RawMqtt.subscribe(1, "chat/t" + n + "/#", 1));
            first.expect(MqttMessageType.SUBACK);
            try (RawMqtt other = Persistent.connect(server.port(), MqttVersion.MQTT_5, id, server.token("ben"), 600,
                    false)) {
                // Another user's connection is left alone: the first one still answers.
                first.send(new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGREQ, false, MqttQoS.AT_MOST_ONCE,
                        false, 0)));
                MqttMessage m;
                do {
                    m = first.next(WAIT);
                    assertThat(m).isNotNull();
                } while (m.fixedHeader().messageType() == MqttMessageType.PUBLISH);
                assertThat(m.fixedHeader().messageType()).isEqualTo(MqttMessageType.PINGRESP);
                try (RawMqtt again = Persistent.connect(server.port(), MqttVersion.MQTT_5, id, server.token("ann"), 600,
                        true)) {
                    MqttMessage d;
                    do {
                        d = first.next(WAIT);
                        assertThat(d).isNotNull();
                    } while (d.fixedHeader().messageType() == MqttMessageType.PUBLISH);
                    assertThat(((MqttReasonCodeAndPropertiesVariableHeader) d.variableHeader()).reasonCode() & 0xff)
                            .as("session taken over").isEqualTo(0x8E);
                    assertThat(first.awaitClosed(WAIT)).isTrue();
                }
            }
        }
    }

    @Test
    void aSessionExpiresAfterItsIntervalAndCleanStartDiscardsIt() {
        int n = MqttFixture.nextRoom();
        String id = "exp-" + n;
        String token = server.token("eve");
        try (RawMqtt raw = Persistent.connect(server.port(), MqttVersion.MQTT_5, id, token, 1, false)) {
            raw.send(RawMqtt.subscribe(1, "chat/x" + n + "/#", 1));
            raw.expect(MqttMessageType.SUBACK);
            raw.send(disconnect(1));
            assertThat(raw.awaitClosed(WAIT)).isTrue();
        }
        await().atMost(WAIT).until(() -> server.sessionStore.load(storeId("eve", id)).join().isEmpty());
        Persistent.connect(server.port(), MqttVersion.MQTT_5, id, token, 600, false).close();
        await().atMost(WAIT).until(() -> server.sessionStore.load(storeId("eve", id)).join().isPresent());
        try (RawMqtt clean = RawMqtt.open(server.port(), MqttVersion.MQTT_3_1_1)) {
            MqttConnAckMessage ack = Persistent.connectOn(clean, MqttVersion.MQTT_3_1_1, id, token, null, true);
            assertThat(ack.variableHeader().isSessionPresent()).isFalse();
        }
        await().atMost(WAIT).until(() -> server.sessionStore.load(storeId("eve", id)).join().isEmpty());
    }

    @Test
    void expiryIsCappedAndStoredInflightIsBounded() throws Exception {
        try (MqttFixture capped = MqttFixture.newBuilder().options(Map.of("mqtt-session-expiry-max", "60s",
                "mqtt-session-max-inflight", "2")).build()) {
            int n = MqttFixture.nextRoom();
            String id = "cap-" + n;
            String token = capped.token("cal");
            RawMqtt raw = RawMqtt.open(capped.port(), MqttVersion.MQTT_5);
            MqttConnAckMessage ack = Persistent.connectOn(raw, MqttVersion.MQTT_5, id, token, -1, false);
            assertThat(ack.variableHeader().properties().getProperty(MqttProperties.SESSION_EXPIRY_INTERVAL).value())
                    .as("never expiring is capped").isEqualTo(60);
            raw.send(RawMqtt.subscribe(1, "chat/c" + n + "/#", 1));
            raw.expect(MqttMessageType.SUBACK);
            MqttPublishMessage state = Persistent.publish(raw);
            for (int i = 0; i < 3; i++) {
                publish(capped, "chat/c" + n + "/message", "m" + i);
            }
            MqttPublishMessage first = Persistent.publish(raw);
            assertThat(Json.parse(Persistent.payload(first)).get("seq").asLong()).isEqualTo(1);
            await().atMost(WAIT).until(() -> capped.sessionStore.load(storeId("cal", id)).join()
                    .map(SessionState::decode).map(s -> s.outbound.size()).orElse(0) == 2);
            // A slot frees: the next event goes out.
            raw.send(Persistent.reply(MqttMessageType.PUBACK, state.variableHeader().packetId()));
            MqttPublishMessage second = Persistent.publish(raw);
            assertThat(Json.parse(Persistent.payload(second)).get("seq").asLong()).isEqualTo(2);
            raw.close();
            try (RawMqtt back = Persistent.connect(capped.port(), MqttVersion.MQTT_5, id, token, 60, true)) {
                assertThat(Persistent.publish(back).fixedHeader().isDup()).isTrue();
                MqttPublishMessage dup2 = Persistent.publish(back);
                assertThat(dup2.fixedHeader().isDup()).isTrue();
                assertThat(Json.parse(Persistent.payload(dup2)).get("seq").asLong()).isEqualTo(2);
                back.send(Persistent.reply(MqttMessageType.PUBACK, first.variableHeader().packetId()));
                MqttPublishMessage third = Persistent.publish(back);
                assertThat(third.fixedHeader().isDup()).as("resumed from the room's log").isFalse();
                assertThat(Json.parse(Persistent.payload(third)).get("seq").asLong()).isEqualTo(3);
            }
        }
    }

    @Test
    void aRoomPositionPastTheLogGetsTheStateWithRecoveredFalse() throws Exception {
        int n = MqttFixture.nextRoom();
        String id = "lost-" + n;
        String token = server.token("lou");
        try (RawMqtt raw = Persistent.connect(server.port(), MqttVersion.MQTT_3_1_1, id, token, null, false)) {
            raw.send(RawMqtt.subscribe(1, "chat/l" + n + "/#", 1));
            raw.expect(MqttMessageType.SUBACK);
            raw.send(Persistent.reply(MqttMessageType.PUBACK, Persistent.publish(raw).variableHeader().packetId()));
            publish(server, "chat/l" + n + "/message", "one");
            raw.send(Persistent.reply(MqttMessageType.PUBACK, Persistent.publish(raw).variableHeader().packetId()));
            await().atMost(WAIT).until(() -> server.sessionStore.load(storeId("lou", id)).join()
                    .map(SessionState::decode).map(s -> s.outbound.isEmpty()).orElse(false));
        }
        // The stored position names an epoch the room's log no longer has (as after a lost log).
        await().atMost(WAIT).until(() -> server.sessionStore.load(storeId("lou", id)).join()
                .map(SessionState::decode).map(s -> s.positions.values().stream().allMatch(p -> p.seq() == 1))
                .orElse(false));
        SessionState stored = SessionState.decode(server.sessionStore.load(storeId("lou", id)).join().orElseThrow());
        stored.positions.replaceAll((room, p) -> new io.playconnect.core.StreamPosition("gone", p.seq()));
        server.sessionStore.save(storeId("lou", id), stored.encode(), Duration.ofMinutes(5)).join();
        try (RawMqtt back = Persistent.connect(server.port(), MqttVersion.MQTT_3_1_1, id, token, null, true)) {
            MqttPublishMessage state = Persistent.publish(back);
            assertThat(state.variableHeader().topicName()).isEqualTo("chat/l" + n + "/state");
            assertThat(Json.parse(Persistent.payload(state)).get("recovered").asBoolean(true)).isFalse();
            assertThat(Json.parse(Persistent.payload(state)).get("seq").asLong()).isEqualTo(1);
        }
    }

    @Test
    void aCleanSessionIsTakenOverFromAnotherGateway() {
        String id = "clean-roam-" + MqttFixture.nextRoom();
        String token = server.token("cleo");
        try (MqttFixture.SecondGateway two = server.secondGateway(server.sessionStore);
             RawMqtt first = RawMqtt.connected(server.port(), MqttVersion.MQTT_5, id, token);
             RawMqtt second = RawMqtt.connected(two.port, MqttVersion.MQTT_5, id, token)) {
            assertThat(ConnectTest.disconnectReason(first)).isEqualTo(0x8E);
            assertThat(first.awaitClosed(WAIT)).isTrue();
            second.send(new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGREQ, false, MqttQoS.AT_MOST_ONCE,
                    false, 0)));
            second.expect(MqttMessageType.PINGRESP);
        }
    }

    @Test
    void anUnreadableStoredSessionIsNoSession() {
        String id = "corrupt-" + MqttFixture.nextRoom();
        server.sessionStore.save(storeId("cora", id), "not a session".getBytes(StandardCharsets.UTF_8),
                Duration.ofMinutes(5)).join();
        Persistent.connect(server.port(), MqttVersion.MQTT_3_1_1, id, server.token("cora"), null, false).close();
    }

    @Test
    void withoutASessionStoreEverySessionIsClean() {
        try (MqttFixture none = MqttFixture.newBuilder().withoutSessions().build();
             RawMqtt raw = RawMqtt.open(none.port(), MqttVersion.MQTT_5)) {
            MqttConnAckMessage ack = Persistent.connectOn(raw, MqttVersion.MQTT_5, "nostore", none.token("nat"), 300,
                    false);
            assertThat(ack.variableHeader().isSessionPresent()).isFalse();
            assertThat(ack.variableHeader().properties().getProperty(MqttProperties.SESSION_EXPIRY_INTERVAL).value())
                    .isEqualTo(0);
        }
    }

    @Test
    void aSessionResumesThroughASecondGatewaySharingARedisStore() throws Exception {
        Prerequisites.requireListening("redis", 6379);
        String prefix = "pc-mqtt-test-" + UUID.randomUUID().toString().substring(0, 8);
        try (RedisSessionStore store = RedisSessionStore.newBuilder().uri("redis://127.0.0.1:6379").keyPrefix(prefix)
                .build();
             MqttFixture one = MqttFixture.newBuilder().sessionStore(store).build();
             MqttFixture.SecondGateway two = one.secondGateway(store)) {
            int n = MqttFixture.nextRoom();
            String id = "roam-" + n;
            String token = one.token("rob");
            String topic = "chat/g" + n + "/message";
            try (RawMqtt raw = Persistent.connect(one.port(), MqttVersion.MQTT_3_1_1, id, token, null, false)) {
                raw.send(RawMqtt.subscribe(1, "chat/g" + n + "/#", 1));
                raw.expect(MqttMessageType.SUBACK);
                MqttPublishMessage state = Persistent.publish(raw);
                raw.send(Persistent.reply(MqttMessageType.PUBACK, state.variableHeader().packetId()));
                publish(one, topic, "seen");
                MqttPublishMessage seen = Persistent.publish(raw);
                raw.send(Persistent.reply(MqttMessageType.PUBACK, seen.variableHeader().packetId()));
                await().atMost(WAIT).until(() -> store.load(storeId("rob", id)).join().map(SessionState::decode)
                        .map(s -> s.outbound.isEmpty() && s.positions.values().stream().allMatch(p -> p.seq() == 1))
                        .orElse(false));
            }
            for (int i = 0; i < 3; i++) {
                publish(one, topic, "missed" + i);
            }
            try (RawMqtt onTwo = Persistent.connect(two.port, MqttVersion.MQTT_5, id, token, 600, true)) {
                for (int seq = 2; seq <= 4; seq++) {
                    MqttPublishMessage p = Persistent.publish(onTwo);
                    assertThat(Json.parse(Persistent.payload(p)).get("seq").asLong()).isEqualTo(seq);
                    onTwo.send(Persistent.reply(MqttMessageType.PUBACK, p.variableHeader().packetId()));
                }
                // Back to the first gateway while connected to the second: that connection is taken over.
                try (RawMqtt back = Persistent.connect(one.port(), MqttVersion.MQTT_5, id, token, 600, true)) {
                    assertThat(ConnectTest.disconnectReason(onTwo)).isEqualTo(0x8E);
                    publish(one, topic, "after");
                    MqttPublishMessage p = Persistent.publish(back);
                    // The last PUBACK on the second gateway may have lost the race with the takeover:
                    // then that event comes again, with DUP, before anything new.
                    for (int i = 0; i < 3 && p.fixedHeader().isDup(); i++) {
                        assertThat(Json.parse(Persistent.payload(p)).get("seq").asLong()).isLessThanOrEqualTo(4);
                        back.send(Persistent.reply(MqttMessageType.PUBACK, p.variableHeader().packetId()));
                        p = Persistent.publish(back);
                    }
                    assertThat(p.fixedHeader().isDup()).isFalse();
                    assertThat(Json.parse(Persistent.payload(p)).get("seq").asLong()).isEqualTo(5);
                }
            }
        }
    }
}
