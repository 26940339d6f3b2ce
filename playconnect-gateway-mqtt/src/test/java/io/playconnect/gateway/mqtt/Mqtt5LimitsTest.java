package io.playconnect.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MQTT 5 limits both ways: what the CONNACK advertises, the client's Maximum Packet Size and
 * problem-information choice, the server's receive maximum and keep-alive.
 */
class Mqtt5LimitsTest extends MqttFixture.SharedServer {

    @Test
    void theConnackAdvertisesWhatTheServerDoes() {
        MqttConnAckMessage[] ack = new MqttConnAckMessage[1];
        MqttProperties askForResponseInfo = RawV5.props(RawV5.integer(MqttProperties.REQUEST_RESPONSE_INFORMATION, 1));
        try (RawMqtt raw = RawV5.connect(server, "caps", "cap", askForResponseInfo, ack)) {
            MqttProperties p = ack[0].variableHeader().properties();
            assertThat(RawV5.intProperty(ack[0], MqttProperties.RECEIVE_MAXIMUM)).isEqualTo(64);
            assertThat(p.getProperty(MqttProperties.MAXIMUM_QOS)).as("absent: QoS 2 is served").isNull();
            assertThat(RawV5.intProperty(ack[0], MqttProperties.MAXIMUM_PACKET_SIZE))
                    .isEqualTo(server.edge.limits().maxPayloadBytes() + MqttConfig.PACKET_SLACK_BYTES);
            assertThat(RawV5.intProperty(ack[0], MqttProperties.WILDCARD_SUBSCRIPTION_AVAILABLE)).isEqualTo(1);
            assertThat(RawV5.intProperty(ack[0], MqttProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE)).isEqualTo(1);
            assertThat(RawV5.intProperty(ack[0], MqttProperties.SHARED_SUBSCRIPTION_AVAILABLE)).isEqualTo(1);
            assertThat(RawV5.intProperty(ack[0], MqttProperties.TOPIC_ALIAS_MAXIMUM)).isEqualTo(32);
            assertThat(p.getProperty(MqttProperties.SERVER_KEEP_ALIVE)).as("the client's keep-alive stands").isNull();
            assertThat(p.getProperty(MqttProperties.RESPONSE_INFORMATION)).as("not offered").isNull();
            assertThat(p.getProperty(MqttProperties.AUTHENTICATION_METHOD)).as("none asked for").isNull();
        }
    }

    @Test
    void theServerKeepAliveReplacesALongerOneAndIsEnforced() {
        try (MqttFixture capped = MqttFixture.newBuilder().options(Map.of("mqtt-max-keepalive", "1")).build();
             RawMqtt raw = RawMqtt.open(capped.port(), MqttVersion.MQTT_5)) {
            raw.send(RawMqtt.connect(MqttVersion.MQTT_5, "long-sleeper", capped.token("sly"), 600));
            MqttConnAckMessage ack = (MqttConnAckMessage) raw.expect(MqttMessageType.CONNACK);
            assertThat(RawV5.intProperty(ack, MqttProperties.SERVER_KEEP_ALIVE)).isEqualTo(1);
            assertThat(ConnectTest.disconnectReason(raw)).as("1.5 x the server's keep-alive, not the client's")
                    .isEqualTo(0x8D);
        }
    }

    @Test
    void publishesAboveTheClientsMaximumPacketSizeAreDroppedAndAcksLoseTheirReasonString() throws Exception {
        int n = MqttFixture.nextRoom();
        MqttProperties small = RawV5.props(RawV5.integer(MqttProperties.MAXIMUM_PACKET_SIZE, 64));
        try (RawMqtt raw = RawV5.connect(server, "small-" + n, "sam", small, null)) {
            raw.send(RawMqtt.subscribe(1, "small/" + n, 0));
            raw.expect(MqttMessageType.SUBACK);
            MqttClient pub = Paho.v3(server.serverUri, "small-pub-" + n, server.token("pub"), null);
            pub.publish("small/" + n, "x".repeat(100).getBytes(StandardCharsets.UTF_8), 0, false);
            pub.publish("small/" + n, "fits".getBytes(StandardCharsets.UTF_8), 0, false);
            MqttPublishMessage p = (MqttPublishMessage) raw.expect(MqttMessageType.PUBLISH);
            assertThat(RawV5.payload(p)).as("the large one was dropped, the next one came").isEqualTo("fits");
            p.release();
            // A refused subscription's reason string would make the SUBACK too large: it goes without.
            raw.send(RawMqtt.subscribe(2, "$SYS/" + "y".repeat(60), 0));
            MqttSubAckMessage ack = (MqttSubAckMessage) raw.expect(MqttMessageType.SUBACK);
            assertThat(ack.payload().reasonCodes()).containsExactly(0x87);
            assertThat(ack.idAndPropertiesVariableHeader().properties().getProperty(MqttProperties.REASON_STRING))
                    .isNull();
            Paho.closeQuietly(pub);
        }
    }

    @Test
    void requestProblemInformationZeroKeepsReasonStringsOffAcknowledgements() {
        MqttProperties quiet = RawV5.props(RawV5.integer(MqttProperties.REQUEST_PROBLEM_INFORMATION, 0));
        try (RawMqtt raw = RawV5.connect(server, "quiet", "qui", quiet, null)) {
            raw.send(RawMqtt.subscribe(1, "$SYS/x", 0));
            MqttSubAckMessage ack = (MqttSubAckMessage) raw.expect(MqttMessageType.SUBACK);
            assertThat(ack.payload().reasonCodes()).containsExactly(0x87);
            assertThat(ack.idAndPropertiesVariableHeader().properties().isEmpty()).isTrue();
            raw.send(RawV5.publish("$SYS/x", 1, 1, "{}", new MqttProperties()));
            MqttMessage puback = raw.expect(MqttMessageType.PUBACK);
            MqttPubReplyMessageVariableHeader h = (MqttPubReplyMessageVariableHeader) puback.variableHeader();
            assertThat(h.reasonCode() & 0xff).isEqualTo(0x87);
            assertThat(h.properties().isEmpty()).as("no reason string, no user properties").isTrue();
        }
        try (RawMqtt raw = RawV5.connect(server, "chatty", "cha", new MqttProperties(), null)) {
            raw.send(RawMqtt.subscribe(1, "$SYS/x", 0));
            MqttSubAckMessage ack = (MqttSubAckMessage) raw.expect(MqttMessageType.SUBACK);
            assertThat(ack.idAndPropertiesVariableHeader().properties().getProperty(MqttProperties.REASON_STRING))
                    .as("by default a reason string explains the refusal").isNotNull();
        }
    }

    @Test
    void moreUnansweredQos1And2PublishesThanTheReceiveMaximumIs0x93() {
        try (MqttFixture tight = MqttFixture.newBuilder().options(Map.of("mqtt-receive-maximum", "2")).build()) {
            int n = MqttFixture.nextRoom();
            try (RawMqtt raw = RawV5.connect(tight, "rm2-" + n, "rm", new MqttProperties(), null)) {
                // QoS 2 publishes stay unanswered until PUBCOMP: two PUBRECs without PUBREL fill the quota.
                raw.send(RawV5.publish("rm/" + n, 2, 1, "a", new MqttProperties()));
                raw.expect(MqttMessageType.PUBREC);
                raw.send(RawV5.publish("rm/" + n, 2, 2, "b", new MqttProperties()));
                raw.expect(MqttMessageType.PUBREC);
                raw.send(RawV5.publish("rm/" + n, 1, 3, "c", new MqttProperties()));
                assertThat(ConnectTest.disconnectReason(raw)).isEqualTo(0x93);
            }
            try (RawMqtt raw = RawV5.connect(tight, "rm2b-" + n, "rm", new MqttProperties(), null)) {
                raw.send(RawV5.publish("rm/" + n, 2, 1, "a", new MqttProperties()));
                raw.expect(MqttMessageType.PUBREC);
                raw.send(Persistent.reply(MqttMessageType.PUBREL, 1));
                raw.expect(MqttMessageType.PUBCOMP);
                raw.send(RawV5.publish("rm/" + n, 2, 2, "b", new MqttProperties()));
                raw.expect(MqttMessageType.PUBREC);
                raw.send(RawV5.publish("rm/" + n, 1, 3, "c", new MqttProperties()));
                assertThat(raw.expect(MqttMessageType.PUBACK)).as("PUBCOMP gave the slot back").isNotNull();
            }
        }
    }

    @Test
    void aPubrecRefusingAQos2DeliveryEndsItWithoutPubrel() throws Exception {
        int n = MqttFixture.nextRoom();
        MqttProperties one = RawV5.props(RawV5.integer(MqttProperties.RECEIVE_MAXIMUM, 1));
        try (RawMqtt raw = RawV5.connect(server, "pubrec-" + n, "pr", one, null)) {
            raw.send(RawMqtt.subscribe(1, "pubrec/" + n, 2));
            raw.expect(MqttMessageType.SUBACK);
            try (RawMqtt pub = RawV5.connect(server, "pubrec-pub-" + n, "pp", new MqttProperties(), null)) {
                for (int i = 1; i <= 2; i++) {
                    pub.send(RawV5.publish("pubrec/" + n, 2, i, "m" + i, new MqttProperties()));
                    pub.expect(MqttMessageType.PUBREC);
                }
            }
            MqttPublishMessage first = (MqttPublishMessage) raw.expect(MqttMessageType.PUBLISH);
            assertThat(RawV5.payload(first)).isEqualTo("m1");
            raw.send(new MqttMessage(new io.netty.handler.codec.mqtt.MqttFixedHeader(MqttMessageType.PUBREC, false,
                    io.netty.handler.codec.mqtt.MqttQoS.AT_MOST_ONCE, false, 0),
                    new MqttPubReplyMessageVariableHeader(first.variableHeader().packetId(), (byte) 0x80,
                            MqttProperties.NO_PROPERTIES)));
            first.release();
            MqttPublishMessage second = (MqttPublishMessage) raw.expect(MqttMessageType.PUBLISH);
            assertThat(RawV5.payload(second)).as("no PUBREL for the refused one, and its slot is free").isEqualTo("m2");
            second.release();
        }
    }
}
