package io.playconnect.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The outbound in-flight window, MQTT 5 re-authentication, and draining. */
class SessionFlowTest extends MqttFixture.SharedServer {
    @Test
    void qos1DeliveriesRespectTheClientsReceiveMaximum() throws Exception {
        int n = MqttFixture.nextRoom();
        String topic = "chat/win" + n + "/message";
        try (RawMqtt raw = RawMqtt.open(server.port(), MqttVersion.MQTT_5)) {
            MqttProperties props = new MqttProperties();
            props.add(new MqttProperties.IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, 2));
            raw.send(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5).clientId("window-" + n)
                    .cleanSession(true).keepAlive(60).hasUser(true).username("u").hasPassword(true)
                    .password(server.token("wanda").getBytes(StandardCharsets.UTF_8)).properties(props).build());
            raw.expect(MqttMessageType.CONNACK);
            raw.send(RawMqtt.subscribe(1, topic, 1));
            raw.expect(MqttMessageType.SUBACK);
            MqttClient pub = Paho.v3(server.serverUri, "window-pub-" + n, server.token("pub"), null);
            for (int i = 0; i < 4; i++) {
                pub.publish(topic, ("{\"text\":\"" + i + "\"}").getBytes(StandardCharsets.UTF_8), 1, false);
            }
            MqttPublishMessage first = (MqttPublishMessage) raw.expect(MqttMessageType.PUBLISH);
            MqttPublishMessage second = (MqttPublishMessage) raw.expect(MqttMessageType.PUBLISH);
            assertThat(raw.next(Duration.ofMillis(300))).as("the window of 2 is full").isNull();
            Set<Integer> ids = new HashSet<>();
            ids.add(first.variableHeader().packetId());
            ids.add(second.variableHeader().packetId());
            assertThat(ids).hasSize(2).doesNotContain(0);
            assertThat(first.fixedHeader().qosLevel()).isEqualTo(MqttQoS.AT_LEAST_ONCE);
            assertThat(first.variableHeader().properties().getProperty(MqttProperties.CONTENT_TYPE).value())
                    .isEqualTo("application/json");
            raw.send(MqttMessageBuilders.pubAck().packetId(first.variableHeader().packetId()).build());
            MqttPublishMessage third = (MqttPublishMessage) raw.expect(MqttMessageType.PUBLISH);
            assertThat(Json.parse(third.payload().toString(StandardCharsets.UTF_8)).get("seq").asLong()).isEqualTo(3);
            first.release();
            second.release();
            third.release();
            Paho.closeQuietly(pub);
        }
    }

    @Test
    void aClientThatStopsAckingIsClosedAsASlowConsumer() throws Exception {
        try (MqttFixture tight = MqttFixture.newBuilder()
                .limits(l -> l.outboundQueueMessages(8))
                .options(java.util.Map.of("mqtt-max-queued", "2")).build();
             RawMqtt raw = RawMqtt.open(tight.port(), MqttVersion.MQTT_5)) {
            int n = MqttFixture.nextRoom();
            String topic = "chat/slow" + n + "/message";
            MqttProperties props = new MqttProperties();
            props.add(new MqttProperties.IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, 1));
            raw.send(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5).clientId("stuck-" + n)
                    .cleanSession(true).keepAlive(60).hasUser(true).username("u").hasPassword(true)
                    .password(tight.token("stu").getBytes(StandardCharsets.UTF_8)).properties(props).build());
            raw.expect(MqttMessageType.CONNACK);
            raw.send(RawMqtt.subscribe(1, topic, 1));
            raw.expect(MqttMessageType.SUBACK);
            MqttClient pub = Paho.v3(tight.serverUri, "flooder-" + n, tight.token("pub"), null);
            MqttMessage m;
            int published = 0;
            do {
                pub.publish(topic, ("{\"text\":\"" + published++ + "\"}").getBytes(StandardCharsets.UTF_8), 0, false);
                m = raw.next(Duration.ofMillis(20));
                io.netty.util.ReferenceCountUtil.release(m);
            } while ((m == null || m.fixedHeader().messageType() != MqttMessageType.DISCONNECT) && published < 500);
            assertThat(m).as("closed after " + published + " events").isNotNull();
            assertThat(((MqttReasonCodeAndPropertiesVariableHeader) m.variableHeader()).reasonCode() & 0xff).isEqualTo(0x97);
            assertThat(raw.awaitClosed(Duration.ofSeconds(5))).isTrue();
            Paho.closeQuietly(pub);
        }
    }

    @Test
    void mqtt5ClientsReauthenticateWithAuth() {
        try (RawMqtt raw = RawMqtt.open(server.port(), MqttVersion.MQTT_5)) {
            MqttProperties props = new MqttProperties();
            props.add(new MqttProperties.StringProperty(MqttProperties.AUTHENTICATION_METHOD, "jwt"));
            props.add(new MqttProperties.BinaryProperty(MqttProperties.AUTHENTICATION_DATA,
                    server.token("rae").getBytes(StandardCharsets.UTF_8)));
            raw.send(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5).clientId("reauth")
                    .cleanSession(true).keepAlive(60).properties(props).build());
            var connAck = (io.netty.handler.codec.mqtt.MqttConnAckMessage) raw.expect(MqttMessageType.CONNACK);
            assertThat(connAck.variableHeader().connectReturnCode().byteValue()).isZero();
            assertThat(connAck.variableHeader().properties().getProperty(MqttProperties.AUTHENTICATION_METHOD).value())
                    .isEqualTo("jwt");
            raw.send(auth(0x19, server.token("rae")));
            MqttMessage ok = raw.expect(MqttMessageType.AUTH);
            assertThat(((MqttReasonCodeAndPropertiesVariableHeader) ok.variableHeader()).reasonCode()).isZero();
            raw.send(auth(0x19, server.token("someone-else")));
            assertThat(ConnectTest.disconnectReason(raw)).isEqualTo(0x87);
            assertThat(raw.awaitClosed(Duration.ofSeconds(5))).isTrue();
        }
    }

    private static MqttMessage auth(int reason, String token) {
        MqttProperties p = new MqttProperties();
        p.add(new MqttProperties.StringProperty(MqttProperties.AUTHENTICATION_METHOD, "jwt"));
        p.add(new MqttProperties.BinaryProperty(MqttProperties.AUTHENTICATION_DATA, token.getBytes(StandardCharsets.UTF_8)));
        return new MqttMessage(new MqttFixedHeader(MqttMessageType.AUTH, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttReasonCodeAndPropertiesVariableHeader((byte) reason, p));
    }

    @Test
    void qos2PublishesOnMqtt311GetPubrecAfterCommitThenPubcomp() {
        int n = MqttFixture.nextRoom();
        try (RawMqtt raw = RawMqtt.connected(server.port(), MqttVersion.MQTT_3_1_1, "qos2-" + n, server.token("quinn"))) {
            raw.send(RawMqtt.publish("chat/q" + n + "/message", 2, 7, "{\"text\":\"twice?\"}"));
            MqttMessage rec = raw.expect(MqttMessageType.PUBREC);
            assertThat(((MqttMessageIdVariableHeader) rec.variableHeader()).messageId()).isEqualTo(7);
            // The same packet again before PUBREL is answered, not applied twice.
            raw.send(RawMqtt.publish("chat/q" + n + "/message", 2, 7, "{\"text\":\"twice?\"}"));
            raw.expect(MqttMessageType.PUBREC);
            raw.send(new MqttMessage(new MqttFixedHeader(MqttMessageType.PUBREL, false, MqttQoS.AT_LEAST_ONCE, false, 0),
                    new MqttPubReplyMessageVariableHeader(7, (byte) 0, MqttProperties.NO_PROPERTIES)));
            raw.expect(MqttMessageType.PUBCOMP);
            assertThat(server.broker.roomLog().read(io.playconnect.core.RoomId.of("chat", "q" + n), 1, 10).join())
                    .hasSize(1);
        }
    }

    @Test
    void drainingTellsMqtt5ClientsTheServerIsShuttingDown() throws Exception {
        try (MqttFixture draining = MqttFixture.start();
             RawMqtt raw = RawMqtt.connected(draining.port(), MqttVersion.MQTT_5, "drained", draining.token("dee"))) {
            draining.gateway.drain().join();
            draining.edge.drain().join();
            assertThat(ConnectTest.disconnectReason(raw)).isEqualTo(0x8B);
            assertThat(raw.awaitClosed(Duration.ofSeconds(5))).isTrue();
            try (RawMqtt late = RawMqtt.open(draining.port(), MqttVersion.MQTT_5)) {
                assertThat(late.awaitClosed(Duration.ofSeconds(5))).isTrue();
            } catch (java.io.UncheckedIOException refused) {
                assertThat(refused.getCause()).isInstanceOf(java.net.ConnectException.class);
            }
        }
    }
}
