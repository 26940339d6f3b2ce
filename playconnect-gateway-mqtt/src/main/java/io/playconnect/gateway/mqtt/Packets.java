package io.playconnect.gateway.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The packets the server sends, built with Netty's codec types. Properties are only filled for
 * MQTT 5 (the encoder drops them for 3.1.1 anyway, but an empty set keeps packets minimal).
 */
final class Packets {
    /** MQTT 5 reason strings are optional; long ones are cut so a packet stays small. */
    static final int MAX_REASON_STRING = 256;
    static final MqttMessage PINGRESP = new MqttMessage(
            new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0));

    private Packets() {
    }

    static MqttConnAckMessage connAck(int code, MqttProperties properties) {
        return connAck(code, false, properties);
    }

    static MqttConnAckMessage connAck(int code, boolean sessionPresent, MqttProperties properties) {
        return MqttMessageBuilders.connAck()
                .returnCode(MqttConnectReturnCode.valueOf((byte) code))
                .sessionPresent(sessionPresent)
                .properties(properties)
                .build();
    }

    static MqttConnAckMessage connAckRefused(int code, boolean v5, String reason) {
        return connAck(code, v5 ? reasonProperties(reason) : MqttProperties.NO_PROPERTIES);
    }

    /** PUBACK, PUBREC or PUBCOMP. */
    static MqttMessage pubReply(MqttMessageType type, int packetId, int reason, MqttProperties properties) {
        MqttFixedHeader header = new MqttFixedHeader(type, false,
                type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE, false, 0);
        return new MqttMessage(header, new MqttPubReplyMessageVariableHeader(packetId, (byte) reason, properties));
    }

    static MqttSubAckMessage subAck(int packetId, List<Integer> codes, MqttProperties properties) {
        return new MqttSubAckMessage(new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttMessageIdAndPropertiesVariableHeader(packetId, properties), new MqttSubAckPayload(codes));
    }

    static MqttUnsubAckMessage unsubAck(int packetId, List<Short> codes) {
        return new MqttUnsubAckMessage(
                new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
                new MqttUnsubAckPayload(codes));
    }

    static MqttMessage disconnect(int reason, String reasonString) {
        return new MqttMessage(new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttReasonCodeAndPropertiesVariableHeader((byte) reason, reasonProperties(reasonString)));
    }

    static MqttMessage auth(int reason, String method) {
        MqttProperties p = new MqttProperties();
        p.add(new MqttProperties.StringProperty(MqttProperties.AUTHENTICATION_METHOD, method));
        return new MqttMessage(new MqttFixedHeader(MqttMessageType.AUTH, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttReasonCodeAndPropertiesVariableHeader((byte) reason, p));
    }

    /** A PUBLISH that takes ownership of {@code payload} (pass a retained duplicate of a shared buffer). */
    static MqttPublishMessage publish(String topic, int qos, int packetId, ByteBuf payload, MqttProperties properties) {
        return publish(topic, qos, packetId, false, false, payload, properties);
    }

    /** A PUBLISH with its DUP and RETAIN flags; takes ownership of {@code payload}. */
    static MqttPublishMessage publish(String topic, int qos, int packetId, boolean dup, boolean retain, ByteBuf payload,
                                      MqttProperties properties) {
        MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.PUBLISH, dup && qos > 0, MqttQoS.valueOf(qos),
                retain, 0);
        return new MqttPublishMessage(header,
                new MqttPublishVariableHeader(topic, qos == 0 ? 0 : packetId, properties), payload);
    }

    static MqttProperties reasonProperties(String reason) {
        MqttProperties p = new MqttProperties();
        if (reason != null && !reason.isEmpty()) {
            p.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, cut(reason)));
        }
        return p;
    }

    static String cut(String s) {
        return s.length() <= MAX_REASON_STRING ? s : s.substring(0, MAX_REASON_STRING);
    }

    /** Bytes of a packet on the wire: fixed header byte, remaining length, then the rest. */
    static int wireSize(int remainingLength) {
        int lengthBytes = remainingLength < 128 ? 1 : remainingLength < 16_384 ? 2 : remainingLength < 2_097_152 ? 3 : 4;
        return 1 + lengthBytes + remainingLength;
    }

    /** A rough upper bound of a PUBLISH's size, for an MQTT 5 client's maximum packet size. */
    static int publishSizeBound(String topic, int payloadBytes, int propertyBytes) {
        int remaining = 2 + topic.getBytes(StandardCharsets.UTF_8).length + 2 + 4 + propertyBytes + payloadBytes;
        return wireSize(remaining);
    }
}
