package io.playconnect.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;

/** The will of a connection, as given in its CONNECT, and what its topic is. */
record Will(String topic, Topics.Topic kind, byte[] payload, int qos, boolean retain, MqttProperties properties) {

    /** The will of a CONNECT, or null when it has none. */
    static Will of(MqttConnectVariableHeader h, MqttConnectPayload p, Topics topics) {
        if (!h.isWillFlag()) {
            return null;
        }
        String topic = p.willTopic() == null ? "" : p.willTopic();
        byte[] payload = p.willMessageInBytes() == null ? new byte[0] : p.willMessageInBytes();
        MqttProperties props = p.willProperties() == null ? MqttProperties.NO_PROPERTIES : p.willProperties();
        Topics.Topic kind = TopicFilter.parse(topic) == null || topic.contains("+") || topic.contains("#")
                ? null : topics.classify(topic);
        return new Will(topic, kind, payload, h.willQos(), h.isWillRetain(), props);
    }

    /** Why this will cannot be accepted, or null. */
    String problem(boolean v5) {
        if (kind == null || kind instanceof Topics.ServerTopic || kind instanceof Topics.BadRoomTopic) {
            return "the will topic must be a room topic <kind>/<id>/<name> or a plain topic: "
                    + Topics.printable(topic);
        }
        return null;
    }

    /** The MQTT 5 CONNACK code for {@link #problem}. */
    int refusalCode() {
        return ReasonCodes.TOPIC_NAME_INVALID;
    }

    String correlationData() {
        MqttProperties.MqttProperty<?> data = properties.getProperty(MqttProperties.CORRELATION_DATA);
        return data == null ? null : InboundCommands.correlationText((byte[]) data.value());
    }
}
