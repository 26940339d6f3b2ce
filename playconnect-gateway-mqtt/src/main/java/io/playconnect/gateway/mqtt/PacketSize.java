package io.playconnect.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;

import java.nio.charset.StandardCharsets;

/**
 * Exact sizes of MQTT 5 packets the server sends, worked out without encoding them, so that a
 * packet over the client's Maximum Packet Size is never written: a PUBLISH is dropped, and an
 * acknowledgement loses its Reason String and User Properties (the specification allows exactly
 * that, and nothing else).
 */
final class PacketSize {
    private PacketSize() {
    }

    /** Bytes of a whole PUBLISH on the wire. */
    static int publish(String topic, int qos, int payloadBytes, MqttProperties properties) {
        int remaining = 2 + utf8Length(topic) + (qos > 0 ? 2 : 0) + propertySection(properties) + payloadBytes;
        return Packets.wireSize(remaining);
    }

    /** The property section: its variable-length prefix and the properties. */
    static int propertySection(MqttProperties properties) {
        int length = properties(properties);
        return varIntSize(length) + length;
    }

    /** Bytes of the encoded properties, without the length prefix. */
    static int properties(MqttProperties properties) {
        int total = 0;
        for (MqttProperties.MqttProperty<?> p : properties.listAll()) {
            total += property(p);
        }
        return total;
    }

    private static int property(MqttProperties.MqttProperty<?> p) {
        if (p instanceof MqttProperties.UserProperties users) {
            int n = 0;
            for (MqttProperties.StringPair pair : users.value()) {
                n += 1 + 2 + utf8Length(pair.key) + 2 + utf8Length(pair.value);
            }
            return n;
        }
        if (p instanceof MqttProperties.UserProperty user) {
            return 1 + 2 + utf8Length(user.value().key) + 2 + utf8Length(user.value().value);
        }
        if (p instanceof MqttProperties.StringProperty s) {
            return 1 + 2 + utf8Length(s.value());
        }
        if (p instanceof MqttProperties.BinaryProperty b) {
            return 1 + 2 + (b.value() == null ? 0 : b.value().length);
        }
        return 1 + integerBytes(p.propertyId(), (Integer) p.value());
    }

    /** How an integer property is encoded: a byte, two bytes, four bytes or a variable byte integer. */
    private static int integerBytes(int id, int value) {
        if (id == MqttProperties.SERVER_KEEP_ALIVE || id == MqttProperties.RECEIVE_MAXIMUM
                || id == MqttProperties.TOPIC_ALIAS_MAXIMUM || id == MqttProperties.TOPIC_ALIAS) {
            return 2;
        }
        if (id == MqttProperties.PUBLICATION_EXPIRY_INTERVAL || id == MqttProperties.SESSION_EXPIRY_INTERVAL
                || id == MqttProperties.WILL_DELAY_INTERVAL || id == MqttProperties.MAXIMUM_PACKET_SIZE) {
            return 4;
        }
        if (id == MqttProperties.SUBSCRIPTION_IDENTIFIER) {
            return varIntSize(value);
        }
        return 1;
    }

    static int varIntSize(int value) {
        return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
    }

    static int utf8Length(String s) {
        int n = s.length();
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return n;
    }
}
