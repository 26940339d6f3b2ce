package io.playconnect.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Packet-level rules of MQTT 3.1.1 and 5 that bind a server, one raw connection per case: what is
 * malformed closes the connection (MQTT 5: after a DISCONNECT with the reason), what is valid gets
 * the answer the specification names. The ids in docs/mqtt-conformance.md point here.
 */
class ProtocolRulesTest extends MqttFixture.SharedServer {

    @Test
    void connectWithTheReservedFlagSetIsClosedWithoutConnack() {
        for (MqttVersion version : new MqttVersion[] {MqttVersion.MQTT_3_1_1, MqttVersion.MQTT_5}) {
            try (RawMqtt raw = RawMqtt.open(server.port(), version)) {
                byte[] connect = raw.encode(RawMqtt.connect(version, "reserved", server.token("rex"), 60));
                connect[flagsIndex(connect)] |= 0x01; // the connect flags' reserved bit
                raw.sendBytes(connect);
                assertThat(raw.awaitClosed(Duration.ofSeconds(5))).as(version + " closes").isTrue();
                MqttMessage m = raw.next(Duration.ZERO);
                assertThat(m == null || m.fixedHeader().messageType() == MqttMessageType.CONNACK
                        && ((MqttConnAckMessage) m).variableHeader().connectReturnCode().byteValue() != 0)
                        .as(version + ": no accepting CONNACK").isTrue();
            }
        }
    }

    /** Where the connect flags are: after the fixed header, the protocol name "MQTT" and the level. */
    private static int flagsIndex(byte[] connect) {
        int i = 1;
        while ((connect[i] & 0x80) != 0) {
            i++;
        }
        return i + 1 + 2 + 4 + 1;
    }

    @Test
    void aRefusedConnectProcessesNothingSentAfterIt() throws Exception {
        int n = MqttFixture.nextRoom();
        Paho.Inbox inbox = new Paho.Inbox();
        var watcher = Paho.v3(server.serverUri, "refused-watch-" + n, server.token("wes"), inbox);
        watcher.subscribe("refused/" + n, 0);
        try (RawMqtt raw = RawMqtt.open(server.port(), MqttVersion.MQTT_3_1_1)) {
            // One write: the publish is already there when the CONNECT is refused (two writes raced
            // the refusal's close on a loaded machine).
            byte[] connect = raw.encode(RawMqtt.connect(MqttVersion.MQTT_3_1_1, "refused-" + n, "not-a-jwt", 60));
            byte[] publish = raw.encode(RawMqtt.publish("refused/" + n, 0, 0, "must not arrive"));
            byte[] both = java.util.Arrays.copyOf(connect, connect.length + publish.length);
            System.arraycopy(publish, 0, both, connect.length, publish.length);
            raw.sendBytes(both);
            MqttConnAckMessage ack = (MqttConnAckMessage) raw.expect(MqttMessageType.CONNACK);
            assertThat(ack.variableHeader().connectReturnCode().byteValue()).isEqualTo((byte) 0x05);
            assertThat(ack.variableHeader().isSessionPresent()).as("refused: session present 0").isFalse();
            assertThat(raw.awaitClosed(Duration.ofSeconds(5))).isTrue();
        }
        watcher.publish("refused/" + n, "marker".getBytes(StandardCharsets.UTF_8), 0, false);
        assertThat(inbox.next().payload()).as("the publish after the refused CONNECT never went out").isEqualTo("marker");
        Paho.closeQuietly(watcher);
    }

    @Test
    void aCleanStartGetsSessionPresentZeroAndA23CharacterAlphanumericIdIsAccepted() {
        String id = "Abcdefghijklmnopqrstu09";
        assertThat(id).hasSize(23);
        for (MqttVersion version : new MqttVersion[] {MqttVersion.MQTT_3_1_1, MqttVersion.MQTT_5}) {
            try (RawMqtt raw = RawMqtt.open(server.port(), version)) {
                raw.send(RawMqtt.connect(version, id, server.token("ida"), 60));
                MqttConnAckMessage ack = (MqttConnAckMessage) raw.expect(MqttMessageType.CONNACK);
                assertThat(ack.variableHeader().connectReturnCode().byteValue()).isZero();
                assertThat(ack.variableHeader().isSessionPresent()).isFalse();
            }
        }
    }

    @Test
    void publishWithQos3IsMalformed() {
        expectClose(publishBytes(0x36, "a/b", 1), 0x81, "QoS 3");
    }

    @Test
    void pubrelWithWrongFlagsIsMalformed() {
        expectClose(new byte[] {0x60, 0x02, 0x00, 0x01}, 0x81, "PUBREL flags 0000");
    }

    @Test
    void subscribeAndUnsubscribeWithoutAFilterAreMalformed() {
        expectClose(new byte[] {(byte) 0x82, 0x02, 0x00, 0x01}, 0x82, "SUBSCRIBE without a filter");
        expectClose(new byte[] {(byte) 0xA2, 0x02, 0x00, 0x01}, 0x82, "UNSUBSCRIBE without a filter");
    }

    @Test
    void unsubscribeWithWrongFlagsIsMalformed() {
        expectClose(new byte[] {(byte) 0xA0, 0x05, 0x00, 0x01, 0x00, 0x01, 'a'}, 0x81, "UNSUBSCRIBE flags 0000");
    }

    /**
     * A requested QoS of 3 is malformed. (Reserved bits 6-7 of the options byte are not checked:
     * Netty's decoder drops them before the gateway sees the packet; docs/mqtt-conformance.md says so.)
     */
    @Test
    void aRequestedQos3IsMalformed() {
        expectClose(new byte[] {(byte) 0x82, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x03}, 0x81, "requested QoS 3");
    }

    @Test
    void disconnectWithReservedFlagsIsMalformed() {
        expectClose(new byte[] {(byte) 0xE1, 0x00}, 0x81, "DISCONNECT flags 0001");
    }

    @Test
    void aNullCharacterInATopicNameIsMalformed() {
        expectClose(publishBytes(0x30, "a\0b", -1), 0x81, "U+0000 in a topic");
    }

    @Test
    void theSameFilterAgainReplacesTheSubscriptionAndOneCopyArrives() {
        int n = MqttFixture.nextRoom();
        try (RawMqtt raw = RawMqtt.connected(server.port(), MqttVersion.MQTT_3_1_1, "again-" + n, server.token("al"))) {
            raw.send(RawMqtt.subscribe(1, "again/" + n, 0));
            raw.expect(MqttMessageType.SUBACK);
            raw.send(RawMqtt.subscribe(2, "again/" + n, 1));
            MqttSubAckMessage ack = (MqttSubAckMessage) raw.expect(MqttMessageType.SUBACK);
            assertThat(ack.payload().reasonCodes()).containsExactly(1);
            raw.send(RawMqtt.publish("again/" + n, 1, 5, "once"));
            MqttMessage first = raw.next(Duration.ofSeconds(10));
            MqttMessage second = raw.next(Duration.ofSeconds(10));
            MqttPublishMessage delivered = (MqttPublishMessage) (first.fixedHeader().messageType()
                    == MqttMessageType.PUBLISH ? first : second);
            assertThat(delivered.fixedHeader().qosLevel()).as("the replacing subscription's QoS").isEqualTo(MqttQoS.AT_LEAST_ONCE);
            assertThat(raw.next(Duration.ofMillis(300))).as("one subscription, one copy").isNull();
            io.netty.util.ReferenceCountUtil.release(first);
            io.netty.util.ReferenceCountUtil.release(second);
        }
    }

    @Test
    void subackCodesFollowTheOrderOfTheFilters() {
        try (RawMqtt raw = RawMqtt.connected(server.port(), MqttVersion.MQTT_5, "order-5", server.token("ola"))) {
            raw.send(MqttMessageBuilders.subscribe().messageId(9).addSubscription(MqttQoS.AT_LEAST_ONCE, "ok/1")
                    .addSubscription(MqttQoS.AT_MOST_ONCE, "a/#/b").addSubscription(MqttQoS.AT_MOST_ONCE, "ok/2")
                    .addSubscription(MqttQoS.EXACTLY_ONCE, "$SYS/x").build());
            MqttSubAckMessage ack = (MqttSubAckMessage) raw.expect(MqttMessageType.SUBACK);
            assertThat(ack.variableHeader().messageId()).isEqualTo(9);
            assertThat(ack.payload().reasonCodes()).containsExactly(1, 0x8F, 0, 0x87);
        }
    }

    @Test
    void unsubscribeStopsDeliveryAndIsAnsweredForEveryFilterEvenUnknownOnes() {
        int n = MqttFixture.nextRoom();
        for (MqttVersion version : new MqttVersion[] {MqttVersion.MQTT_3_1_1, MqttVersion.MQTT_5}) {
            String topic = "unsub/" + n + "/" + version;
            try (RawMqtt raw = RawMqtt.connected(server.port(), version, "unsub-" + n, server.token("uma"))) {
                raw.send(RawMqtt.subscribe(1, topic, 0));
                raw.expect(MqttMessageType.SUBACK);
                raw.send(MqttMessageBuilders.unsubscribe().messageId(7).addTopicFilter(topic)
                        .addTopicFilter("never/subscribed").build());
                MqttUnsubAckMessage ack = (MqttUnsubAckMessage) raw.expect(MqttMessageType.UNSUBACK);
                assertThat(((MqttMessageIdAndPropertiesVariableHeader) ack.variableHeader()).messageId()).isEqualTo(7);
                if (version == MqttVersion.MQTT_5) {
                    assertThat(ack.payload().unsubscribeReasonCodes()).containsExactly((short) 0, (short) 0x11);
                }
                raw.send(RawMqtt.publish(topic, 0, 0, "after"));
                raw.send(new MqttMessage(new io.netty.handler.codec.mqtt.MqttFixedHeader(MqttMessageType.PINGREQ,
                        false, MqttQoS.AT_MOST_ONCE, false, 0)));
                assertThat(raw.expect(MqttMessageType.PINGRESP)).as("nothing delivered after UNSUBSCRIBE").isNotNull();
            }
        }
    }

    @Test
    void aClientPublishWithASubscriptionIdentifierOrAWildcardResponseTopicIsAProtocolError() {
        MqttProperties[] bad = {
            RawV5.props(RawV5.integer(MqttProperties.SUBSCRIPTION_IDENTIFIER, 5)),
            RawV5.props(new MqttProperties.StringProperty(MqttProperties.RESPONSE_TOPIC, "replies/+")),
            RawV5.props(new MqttProperties.StringProperty(MqttProperties.RESPONSE_TOPIC, "replies/#")),
        };
        for (MqttProperties props : bad) {
            try (RawMqtt raw = RawV5.connect(server, "rules-props", "rae", new MqttProperties(), null)) {
                raw.send(RawV5.publish("plain/props", 0, 0, "x", props));
                assertThat(ConnectTest.disconnectReason(raw)).as(props.listAll().toString()).isEqualTo(0x82);
                assertThat(raw.awaitClosed(Duration.ofSeconds(5))).isTrue();
            }
        }
    }

    private void expectClose(byte[] bytes, int v5Reason, String what) {
        for (MqttVersion version : new MqttVersion[] {MqttVersion.MQTT_3_1_1, MqttVersion.MQTT_5}) {
            boolean v5 = version == MqttVersion.MQTT_5;
            byte[] packet = v5 ? withEmptyProperties(bytes) : bytes;
            try (RawMqtt raw = RawMqtt.connected(server.port(), version, "rules-" + (v5 ? 5 : 3), server.token("rae"))) {
                raw.sendBytes(packet);
                if (v5) {
                    assertThat(ConnectTest.disconnectReason(raw)).as(what).isEqualTo(v5Reason);
                }
                assertThat(raw.awaitClosed(Duration.ofSeconds(5))).as(what + " closes on " + version).isTrue();
            }
        }
    }

    /**
     * The same packet with an empty MQTT 5 property section after its variable header: after the
     * packet id for SUBSCRIBE, UNSUBSCRIBE and PUBLISH at QoS > 0, after the topic at QoS 0; PUBREL
     * and DISCONNECT are valid MQTT 5 as they are (no reason code, no properties).
     */
    private static byte[] withEmptyProperties(byte[] p) {
        int type = (p[0] & 0xff) >> 4;
        if (type != 3 && type != 8 && type != 10) {
            return p;
        }
        int topicEnd = 4 + ((p[2] & 0xff) << 8 | (p[3] & 0xff));
        int at = type == 3 ? topicEnd + ((p[0] & 0x06) != 0 ? 2 : 0) : 4;
        if (at > p.length) {
            return p;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(p[0]);
        out.write(p[1] + 1);
        out.write(p, 2, at - 2);
        out.write(0);
        out.write(p, at, p.length - at);
        return out.toByteArray();
    }

    /** A PUBLISH with a single-byte remaining length: topic, packet id when >= 0, payload "{}". */
    private static byte[] publishBytes(int firstByte, String topic, int packetId) {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(t.length >> 8);
        body.write(t.length);
        body.writeBytes(t);
        if (packetId >= 0) {
            body.write(packetId >> 8);
            body.write(packetId);
        }
        body.writeBytes("{}".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        out.write(body.size());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }
}
