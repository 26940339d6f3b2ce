package io.playconnect.gateway.mqtt;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** MQTT 5 packets with properties for {@link RawMqtt}, and reading properties back. */
final class RawV5 {
    private RawV5() {
    }

    /** A connected MQTT 5 raw client whose CONNECT carried {@code props}; the CONNACK is in {@code acks[0]} if given. */
    static RawMqtt connect(MqttFixture server, String clientId, String user, MqttProperties props,
                           MqttConnAckMessage[] acks) {
        RawMqtt raw = RawMqtt.open(server.port(), MqttVersion.MQTT_5);
        raw.send(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5).clientId(clientId)
                .cleanSession(true).keepAlive(60).hasUser(true).username("u").hasPassword(true)
                .password(server.token(user).getBytes(StandardCharsets.UTF_8)).properties(props).build());
        MqttConnAckMessage ack = (MqttConnAckMessage) raw.expect(MqttMessageType.CONNACK);
        assertThat(ack.variableHeader().connectReturnCode().byteValue()).as("CONNACK code").isEqualTo((byte) 0);
        if (acks != null) {
            acks[0] = ack;
        }
        return raw;
    }

    static MqttProperties props(MqttProperties.MqttProperty<?>... ps) {
        MqttProperties p = new MqttProperties();
        for (MqttProperties.MqttProperty<?> x : ps) {
            p.add(x);
        }
        return p;
    }

    static MqttProperties.IntegerProperty integer(int id, int value) {
        return new MqttProperties.IntegerProperty(id, value);
    }

    static MqttMessage publish(String topic, int qos, int packetId, byte[] payload, MqttProperties props) {
        return MqttMessageBuilders.publish().topicName(topic).qos(MqttQoS.valueOf(qos)).messageId(packetId)
                .retained(false).payload(Unpooled.wrappedBuffer(payload)).properties(props).build();
    }

    static MqttMessage publish(String topic, int qos, int packetId, String payload, MqttProperties props) {
        return publish(topic, qos, packetId, payload.getBytes(StandardCharsets.UTF_8), props);
    }

    static Integer intProperty(MqttMessage m, int id) {
        MqttProperties props = m instanceof MqttPublishMessage p ? p.variableHeader().properties()
                : m instanceof MqttConnAckMessage a ? a.variableHeader().properties() : null;
        MqttProperties.MqttProperty<?> p = props == null ? null : props.getProperty(id);
        return p == null ? null : (Integer) p.value();
    }

    static String payload(MqttPublishMessage p) {
        return p.payload().toString(StandardCharsets.UTF_8);
    }
}
