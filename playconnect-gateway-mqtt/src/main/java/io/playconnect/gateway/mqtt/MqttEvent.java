package io.playconnect.gateway.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.playconnect.core.RoomId;
import io.playconnect.core.codec.EnvelopeCodec;
import io.playconnect.edge.EncodingKey;
import io.playconnect.edge.OutboundEvent;

/**
 * One room event as every MQTT subscriber of the process receives it: its topic, worked out once,
 * and the stored envelope bytes, unchanged, as a read-only buffer each PUBLISH uses through
 * {@link ByteBuf#retainedDuplicate()}. Never released: it is heap memory that lives as long as the
 * {@link OutboundEvent} holding it.
 */
final class MqttEvent {
    static final EncodingKey<MqttEvent> KEY = EncodingKey.create(MqttGateway.PROTOCOL);
    /** MQTT 5 properties of every event and snapshot: UTF-8 JSON. Shared, never modified. */
    static final MqttProperties JSON_PROPERTIES = jsonProperties();
    /** What {@link #JSON_PROPERTIES} adds to a packet, for packet size checks. */
    static final int JSON_PROPERTY_BYTES = 1 + 2 + 1 + 2 + "application/json".length();

    private final String topic;
    private final String[] levels;
    private final ByteBuf payload;

    MqttEvent(String topic, byte[] envelope) {
        this.topic = topic;
        this.levels = TopicFilter.split(topic);
        this.payload = Unpooled.wrappedBuffer(envelope).asReadOnly();
    }

    /** The shared encoding of an event (computed by the first session that asks). */
    static MqttEvent of(OutboundEvent event) {
        return event.encoded(KEY, data -> new MqttEvent(topicOf(event.room(), data), data));
    }

    private static String topicOf(RoomId room, byte[] envelope) {
        String type = EnvelopeCodec.instance().decodeEvent(envelope).type();
        // A type that could not be a topic level is renamed rather than dropped: events are never lost.
        return Topics.eventTopic(room, type.replaceAll("[/+#\\x00]", "_"));
    }

    private static MqttProperties jsonProperties() {
        MqttProperties p = new MqttProperties();
        p.add(new MqttProperties.IntegerProperty(MqttProperties.PAYLOAD_FORMAT_INDICATOR, 1));
        p.add(new MqttProperties.StringProperty(MqttProperties.CONTENT_TYPE, "application/json"));
        return p;
    }

    String topic() {
        return topic;
    }

    String[] levels() {
        return levels;
    }

    /** The shared payload: never write to it, never release it; duplicate it for a packet. */
    ByteBuf payload() {
        return payload;
    }
}
