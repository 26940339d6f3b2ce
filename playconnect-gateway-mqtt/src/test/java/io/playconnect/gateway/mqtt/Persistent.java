package io.playconnect.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Raw-client helpers for persistent-session tests: CONNECT with clean session 0, acks, DUP publishes. */
final class Persistent {
    private Persistent() {
    }

    /** A raw client whose CONNECT asks to resume (clean session 0; MQTT 5 with this session expiry). */
    static RawMqtt connect(int port, MqttVersion version, String clientId, String token, Integer expirySeconds,
                           boolean sessionPresent) {
        RawMqtt raw = RawMqtt.open(port, version);
        MqttConnAckMessage ack = connectOn(raw, version, clientId, token, expirySeconds, false);
        assertThat(ack.variableHeader().connectReturnCode().byteValue()).as("CONNACK code").isZero();
        assertThat(ack.variableHeader().isSessionPresent()).as("session present").isEqualTo(sessionPresent);
        return raw;
    }

    static MqttConnAckMessage connectOn(RawMqtt raw, MqttVersion version, String clientId, String token,
                                        Integer expirySeconds, boolean clean) {
        MqttProperties props = new MqttProperties();
        if (expirySeconds != null) {
            props.add(new MqttProperties.IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL, expirySeconds));
        }
        raw.send(MqttMessageBuilders.connect().protocolVersion(version).clientId(clientId).cleanSession(clean)
                .keepAlive(60).hasUser(true).username("raw").hasPassword(true)
                .password(token.getBytes(StandardCharsets.UTF_8)).properties(props).build());
        return (MqttConnAckMessage) raw.expect(MqttMessageType.CONNACK);
    }

    static MqttMessage reply(MqttMessageType type, int packetId) {
        return new MqttMessage(new MqttFixedHeader(type, false,
                type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE, false, 0),
                MqttMessageIdVariableHeader.from(packetId));
    }

    /** A PUBLISH with the DUP flag, as a client resends it. */
    static MqttPublishMessage dup(String topic, int qos, int packetId, String payload) {
        return new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, true, MqttQoS.valueOf(qos), false, 0),
                new MqttPublishVariableHeader(topic, packetId, MqttProperties.NO_PROPERTIES),
                io.netty.buffer.Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8));
    }

    static int packetId(MqttMessage m) {
        if (m instanceof MqttPublishMessage p) {
            return p.variableHeader().packetId();
        }
        return ((MqttMessageIdVariableHeader) m.variableHeader()).messageId();
    }

    /** The reason code of a PUBACK/PUBREC/PUBREL/PUBCOMP (0 when the packet has none). */
    static int reason(MqttMessage m) {
        return m.variableHeader() instanceof MqttPubReplyMessageVariableHeader h ? h.reasonCode() & 0xff : 0;
    }

    static String payload(MqttPublishMessage p) {
        return p.payload().toString(StandardCharsets.UTF_8);
    }

    /** The next PUBLISH, skipping nothing: fails on any other packet. */
    static MqttPublishMessage publish(RawMqtt raw) {
        return (MqttPublishMessage) raw.expect(MqttMessageType.PUBLISH);
    }
}
