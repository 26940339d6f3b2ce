package io.playconnect.gateway.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttProperties;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * MQTT 5 PUBLISH properties the gateway reads or rewrites: user properties (the {@code traceparent}
 * one carries the W3C trace context of a command), the Payload Format Indicator, the Message Expiry
 * Interval and Subscription Identifiers on delivery.
 */
final class PublishProperties {
    /** The user property whose value is the W3C trace context of a room command. */
    static final String TRACEPARENT = "traceparent";

    private PublishProperties() {
    }

    /** The value of the first user property called {@code name}, or null. */
    static String userProperty(MqttProperties props, String name) {
        for (MqttProperties.MqttProperty<?> p : props.getProperties(MqttProperties.USER_PROPERTY)) {
            if (p instanceof MqttProperties.UserProperty u && name.equals(u.value().key)) {
                return u.value().value;
            }
            if (p instanceof MqttProperties.UserProperties us) {
                for (MqttProperties.StringPair pair : us.value()) {
                    if (name.equals(pair.key)) {
                        return pair.value;
                    }
                }
            }
        }
        return null;
    }

    /** The W3C trace context a client sent with a PUBLISH ({@code traceparent} user property), or null. */
    static String traceparent(MqttProperties props) {
        return userProperty(props, TRACEPARENT);
    }

    /** False when the publisher said the payload is UTF-8 (Payload Format Indicator 1) and it is not. */
    static boolean payloadFormatHolds(MqttProperties props, ByteBuf payload) {
        MqttProperties.MqttProperty<?> format = props.getProperty(MqttProperties.PAYLOAD_FORMAT_INDICATOR);
        if (format == null || !Integer.valueOf(1).equals(format.value())) {
            return true;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(payload.nioBuffer());
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** The Message Expiry Interval in seconds, or -1 when the message does not expire. */
    static long expirySeconds(MqttProperties props) {
        MqttProperties.MqttProperty<?> p = props.getProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL);
        return p == null ? -1 : Integer.toUnsignedLong((Integer) p.value());
    }

    /**
     * The properties to deliver with: {@code base} plus the Message Expiry Interval left (rounded up)
     * when {@code expiresAtMillis >= 0}, plus the subscription identifiers. {@code base} is never
     * changed (it may be shared); it is returned as is when there is nothing to add.
     */
    static MqttProperties forDelivery(MqttProperties base, long expiresAtMillis, long nowMillis, List<Integer> ids) {
        if (expiresAtMillis < 0 && ids.isEmpty()) {
            return base;
        }
        MqttProperties out = new MqttProperties();
        for (MqttProperties.MqttProperty<?> p : base.listAll()) {
            // Each is replaced only when a new value is given: adding identifiers keeps the expiry,
            // and setting the expiry left keeps the identifiers.
            boolean replaced = p.propertyId() == MqttProperties.PUBLICATION_EXPIRY_INTERVAL ? expiresAtMillis >= 0
                    : p.propertyId() == MqttProperties.SUBSCRIPTION_IDENTIFIER && !ids.isEmpty();
            if (!replaced) {
                out.add(p);
            }
        }
        if (expiresAtMillis >= 0) {
            long left = Math.max(1, (expiresAtMillis - nowMillis + 999) / 1000);
            out.add(new MqttProperties.IntegerProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL,
                    (int) Math.min(left, 0xFFFF_FFFFL)));
        }
        for (Integer id : ids) {
            out.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER, id));
        }
        return out;
    }
}
