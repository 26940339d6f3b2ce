package io.playconnect.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.playconnect.edge.EdgeMetrics;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** CONNECT: tokens, refusals and their CONNACK codes per version, takeover, keep-alive, protocol rules. */
class ConnectTest extends MqttFixture.SharedServer {
    @Test
    void connectsWithAJwtOnBothVersions() throws Exception {
        MqttClient v3 = Paho.v3(server.serverUri, "c-v3", server.token("alice"), null);
        var v5 = Paho.v5(server.serverUri, "c-v5", server.token("alice"), null);
        assertThat(v3.isConnected()).isTrue();
        assertThat(v5.isConnected()).isTrue();
        assertThat(server.counter(EdgeMetrics.FRAMES_IN, EdgeMetrics.TAG_PROTOCOL, "mqtt")).isGreaterThanOrEqualTo(2);
        assertThat(server.counter(EdgeMetrics.FRAMES_OUT, EdgeMetrics.TAG_PROTOCOL, "mqtt")).isGreaterThanOrEqualTo(2);
        Paho.closeQuietly(v3);
        Paho.closeQuietly(v5);
    }

    @Test
    void refusesBadMissingAndExpiredTokensV3() {
        String expired = MqttFixture.token("alice", MqttFixture.EVERYTHING, Instant.now().minus(Duration.ofHours(1)));
        for (String token : new String[] {"not-a-jwt", null, expired}) {
            assertThatThrownBy(() -> Paho.v3(server.serverUri, "bad-v3", token, null))
                    .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode())
                            .as("CONNACK for token " + token).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED));
        }
    }

    @Test
    void refusesBadMissingAndExpiredTokensV5() {
        String expired = MqttFixture.token("alice", MqttFixture.EVERYTHING, Instant.now().minus(Duration.ofHours(1)));
        assertV5Refused("not-a-jwt", 0x87);
        assertV5Refused(expired, 0x87);
        assertV5Refused(null, 0x86);
    }

    private void assertV5Refused(String token, int code) {
        assertThatThrownBy(() -> Paho.v5(server.serverUri, "bad-v5", token, null))
                .isInstanceOfSatisfying(org.eclipse.paho.mqttv5.common.MqttException.class,
                        e -> assertThat(e.getReasonCode()).as("CONNACK for " + token).isEqualTo(code));
    }

    @Test
    void refusedAdmissionIsServerUnavailableOrBusy() throws Exception {
        try (MqttFixture full = MqttFixture.newBuilder().limits(l -> l.maxConnections(1)).build();
             RawMqtt holder = RawMqtt.connected(full.port(), MqttVersion.MQTT_3_1_1, "holder", full.token("bob"))) {
            assertThatThrownBy(() -> Paho.v3(full.serverUri, "late-v3", full.token("bob"), null))
                    .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode())
                            .isEqualTo(MqttException.REASON_CODE_BROKER_UNAVAILABLE));
            assertThatThrownBy(() -> Paho.v5(full.serverUri, "late-v5", full.token("bob"), null))
                    .isInstanceOfSatisfying(org.eclipse.paho.mqttv5.common.MqttException.class,
                            e -> assertThat(e.getReasonCode()).isEqualTo(0x89));
            assertThat(holder.awaitClosed(Duration.ofMillis(50))).as("the admitted connection stays").isFalse();
        }
    }

    @Test
    void secondConnectClosesV3AndDisconnectsV5WithProtocolError() {
        try (RawMqtt v3 = RawMqtt.connected(server.port(), MqttVersion.MQTT_3_1_1, "twice-3", server.token("carol"))) {
            v3.send(RawMqtt.connect(MqttVersion.MQTT_3_1_1, "twice-3", server.token("carol"), 60));
            assertThat(v3.awaitClosed(Duration.ofSeconds(5))).isTrue();
            assertThat(v3.next(Duration.ZERO)).as("MQTT 3.1.1 servers send no DISCONNECT").isNull();
        }
        try (RawMqtt v5 = RawMqtt.connected(server.port(), MqttVersion.MQTT_5, "twice-5", server.token("carol"))) {
            v5.send(RawMqtt.connect(MqttVersion.MQTT_5, "twice-5", server.token("carol"), 60));
            assertThat(disconnectReason(v5)).isEqualTo(0x82);
            assertThat(v5.awaitClosed(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void firstPacketOtherThanConnectCloses() {
        try (RawMqtt raw = RawMqtt.open(server.port(), MqttVersion.MQTT_3_1_1)) {
            raw.send(RawMqtt.subscribe(1, "chat/x/message", 0));
            assertThat(raw.awaitClosed(Duration.ofSeconds(5))).isTrue();
            assertThat(raw.next(Duration.ZERO)).isNull();
        }
    }

    @Test
    void keepAliveIsEnforcedAtOneAndAHalfTimes() {
        try (RawMqtt v5 = RawMqtt.open(server.port(), MqttVersion.MQTT_5)) {
            v5.send(RawMqtt.connect(MqttVersion.MQTT_5, "sleepy", server.token("dave"), 1));
            v5.expect(MqttMessageType.CONNACK);
            long started = System.nanoTime();
            assertThat(disconnectReason(v5)).isEqualTo(0x8D);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
            assertThat(v5.awaitClosed(Duration.ofSeconds(5))).isTrue();
        }
        try (RawMqtt v3 = RawMqtt.open(server.port(), MqttVersion.MQTT_3_1_1)) {
            v3.send(RawMqtt.connect(MqttVersion.MQTT_3_1_1, "sleepy3", server.token("dave"), 1));
            v3.expect(MqttMessageType.CONNACK);
            v3.send(new MqttMessage(new io.netty.handler.codec.mqtt.MqttFixedHeader(MqttMessageType.PINGREQ, false,
                    io.netty.handler.codec.mqtt.MqttQoS.AT_MOST_ONCE, false, 0)));
            v3.expect(MqttMessageType.PINGRESP);
            assertThat(v3.awaitClosed(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void persistentSessionRequestIsServedAsCleanWithoutSessionPresent() {
        try (RawMqtt raw = RawMqtt.open(server.port(), MqttVersion.MQTT_3_1_1)) {
            raw.send(io.netty.handler.codec.mqtt.MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_3_1_1)
                    .clientId("keeper").cleanSession(false).keepAlive(60).hasUser(true).username("u")
                    .hasPassword(true).password(server.token("erin").getBytes()).build());
            MqttConnAckMessage ack = (MqttConnAckMessage) raw.expect(MqttMessageType.CONNACK);
            assertThat(ack.variableHeader().connectReturnCode().byteValue()).isZero();
            assertThat(ack.variableHeader().isSessionPresent()).isFalse();
        }
    }

    @Test
    void emptyClientIdNeedsACleanSessionOnV3AndIsAssignedOnV5() {
        try (RawMqtt raw = RawMqtt.open(server.port(), MqttVersion.MQTT_3_1_1)) {
            raw.send(io.netty.handler.codec.mqtt.MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_3_1_1)
                    .clientId("").cleanSession(false).keepAlive(60).hasUser(true).username("u")
                    .hasPassword(true).password(server.token("erin").getBytes()).build());
            MqttConnAckMessage ack = (MqttConnAckMessage) raw.expect(MqttMessageType.CONNACK);
            assertThat(ack.variableHeader().connectReturnCode().byteValue()).isEqualTo((byte) 0x02);
            assertThat(raw.awaitClosed(Duration.ofSeconds(5))).isTrue();
        }
        try (RawMqtt raw = RawMqtt.open(server.port(), MqttVersion.MQTT_5)) {
            raw.send(RawMqtt.connect(MqttVersion.MQTT_5, "", server.token("erin"), 60));
            MqttConnAckMessage ack = (MqttConnAckMessage) raw.expect(MqttMessageType.CONNACK);
            assertThat(ack.variableHeader().connectReturnCode().byteValue()).isZero();
            MqttProperties.MqttProperty<?> assigned = ack.variableHeader().properties()
                    .getProperty(MqttProperties.ASSIGNED_CLIENT_IDENTIFIER);
            assertThat(assigned).isNotNull();
            assertThat((String) assigned.value()).startsWith("pc-");
            // Maximum QoS absent: QoS 2 is served; retained messages are available (the fixture offers a broker).
            assertThat(ack.variableHeader().properties().getProperty(MqttProperties.MAXIMUM_QOS)).isNull();
            assertThat(ack.variableHeader().properties().getProperty(MqttProperties.RETAIN_AVAILABLE).value()).isEqualTo(1);
        }
    }

    @Test
    void overlongClientIdsAreRejected() {
        String id = "x".repeat(GatewayRuntime.MAX_CLIENT_ID_LENGTH + 1);
        try (RawMqtt raw = RawMqtt.open(server.port(), MqttVersion.MQTT_5)) {
            raw.send(RawMqtt.connect(MqttVersion.MQTT_5, id, server.token("erin"), 60));
            MqttConnAckMessage ack = (MqttConnAckMessage) raw.expect(MqttMessageType.CONNACK);
            assertThat(ack.variableHeader().connectReturnCode().byteValue()).isEqualTo((byte) 0x85);
            assertThat(raw.awaitClosed(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void unknownProtocolLevelGetsUnacceptableProtocolVersion() {
        try (RawMqtt raw = RawMqtt.open(server.port(), MqttVersion.MQTT_3_1_1)) {
            byte[] connect = raw.encode(RawMqtt.connect(MqttVersion.MQTT_3_1_1, "old", server.token("erin"), 60));
            connect[8] = 3; // protocol level 3 with the name "MQTT" is no version at all
            raw.sendBytes(connect);
            MqttConnAckMessage ack = (MqttConnAckMessage) raw.expect(MqttMessageType.CONNACK);
            assertThat(ack.variableHeader().connectReturnCode().byteValue()).isEqualTo((byte) 0x01);
            assertThat(raw.awaitClosed(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void aSecondConnectionWithTheSameClientIdTakesOver() throws Exception {
        Paho.Inbox ignored = new Paho.Inbox();
        var first = new org.eclipse.paho.mqttv5.client.MqttClient(server.serverUri, "same-id",
                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        Paho.V5Callback callback = new Paho.V5Callback(ignored);
        first.setCallback(callback);
        first.connect(Paho.v5Options(server.token("frank")));
        var second = Paho.v5(server.serverUri, "same-id", server.token("frank"), null);
        await().atMost(Duration.ofSeconds(5)).until(() -> !first.isConnected());
        assertThat(callback.disconnectReason).isEqualTo(0x8E);
        assertThat(second.isConnected()).isTrue();
        // Another user with the same client id is a different client: nobody is taken over.
        var other = Paho.v5(server.serverUri, "same-id", server.token("grace"), null);
        assertThat(second.isConnected()).isTrue();
        Paho.closeQuietly(second);
        Paho.closeQuietly(other);
        first.close();
    }

    @Test
    void anonymousClientsNeedTheDevelopmentOption() throws Exception {
        try (MqttFixture dev = MqttFixture.newBuilder().anonymous(true).build()) {
            MqttClient anon = Paho.v3(dev.serverUri, "anon", null, null);
            anon.publish("chat/anon" + MqttFixture.nextRoom() + "/message", "{\"text\":\"hi\"}".getBytes(), 1, false);
            Paho.closeQuietly(anon);
        }
        assertThatThrownBy(() -> Paho.v3(server.serverUri, "anon", null, null)).isInstanceOf(MqttException.class);
    }

    @Test
    void configRejectsAnonymousWithoutToken() {
        assertThatThrownBy(() -> MqttConfig.fromSettings(io.playconnect.edge.spi.GatewaySettings.newBuilder()
                .options(Map.of("mqtt-allow-anonymous", "true")).build(), 1024))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("anonymousToken");
        assertThatThrownBy(() -> MqttConfig.newBuilder().receiveMaximum(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("receiveMaximum");
    }

    static int disconnectReason(RawMqtt raw) {
        MqttMessage m = raw.expect(MqttMessageType.DISCONNECT);
        return ((MqttReasonCodeAndPropertiesVariableHeader) m.variableHeader()).reasonCode() & 0xff;
    }
}
