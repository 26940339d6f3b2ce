package io.playconnect.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Retained messages: plain topics as the specification says, a room's retained message is its state. */
class RetainedTest extends MqttFixture.SharedServer {

    private static io.netty.handler.codec.mqtt.MqttMessage retained(String topic, int qos, int id, String payload) {
        return MqttMessageBuilders.publish().topicName(topic).qos(MqttQoS.valueOf(qos)).messageId(id).retained(true)
                .payload(io.netty.buffer.Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8))
                .properties(MqttProperties.NO_PROPERTIES).build();
    }

    @Test
    void aRetainedPlainMessageReachesLaterSubscribersUntilAnEmptyOneClearsIt() throws Exception {
        int n = MqttFixture.nextRoom();
        String topic = "sensors/" + n + "/temp";
        MqttClient publisher = Paho.v3(server.serverUri, "ret-pub-" + n, server.token("rita"), null);
        publisher.publish(topic, "21.5".getBytes(StandardCharsets.UTF_8), 1, true);
        publisher.publish(topic, "22.0".getBytes(StandardCharsets.UTF_8), 1, true);
        try (RawMqtt later = RawMqtt.connected(server.port(), MqttVersion.MQTT_3_1_1, "ret-sub-" + n, server.token("sid"))) {
            later.send(RawMqtt.subscribe(1, "sensors/" + n + "/#", 1));
            later.expect(MqttMessageType.SUBACK);
            MqttPublishMessage p = Persistent.publish(later);
            assertThat(p.variableHeader().topicName()).isEqualTo(topic);
            assertThat(Persistent.payload(p)).as("the latest retained message only").isEqualTo("22.0");
            assertThat(p.fixedHeader().isRetain()).isTrue();
            later.send(Persistent.reply(MqttMessageType.PUBACK, p.variableHeader().packetId()));
        }
        publisher.publish(topic, new byte[0], 1, true);
        try (RawMqtt after = RawMqtt.connected(server.port(), MqttVersion.MQTT_5, "ret-sub2-" + n, server.token("sid"))) {
            after.send(RawMqtt.subscribe(1, "sensors/" + n + "/#", 1));
            after.expect(MqttMessageType.SUBACK);
            publisher.publish("sensors/" + n + "/marker", "live".getBytes(StandardCharsets.UTF_8), 0, false);
            MqttPublishMessage p = Persistent.publish(after);
            assertThat(p.variableHeader().topicName()).as("the cleared message is gone").isEqualTo("sensors/" + n + "/marker");
            assertThat(p.fixedHeader().isRetain()).isFalse();
        }
        Paho.closeQuietly(publisher);
    }

    @Test
    void aRoomTopicsRetainedMessageIsTheRoomsState() throws Exception {
        int n = MqttFixture.nextRoom();
        MqttClient publisher = Paho.v3(server.serverUri, "room-ret-" + n, server.token("rita"), null);
        publisher.publish("chat/rr" + n + "/message", "{\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8), 1, true);
        try (RawMqtt sub = RawMqtt.connected(server.port(), MqttVersion.MQTT_3_1_1, "room-ret-sub-" + n, server.token("sid"))) {
            sub.send(RawMqtt.subscribe(1, "chat/rr" + n + "/#", 0));
            sub.expect(MqttMessageType.SUBACK);
            MqttPublishMessage state = Persistent.publish(sub);
            assertThat(state.variableHeader().topicName()).isEqualTo("chat/rr" + n + "/state");
            assertThat(state.fixedHeader().isRetain()).isTrue();
            assertThat(Json.parse(Persistent.payload(state)).get("seq").asLong()).isEqualTo(1);
        }
        Paho.closeQuietly(publisher);
    }

    @Test
    void aRetainedTopicOverTheLimitIsRefusedButStillDelivered() {
        String topic = "long/" + "x".repeat(RetainedMessages.MAX_TOPIC_BYTES);
        try (RawMqtt raw = RawMqtt.connected(server.port(), MqttVersion.MQTT_5, "ret-long", server.token("rita"))) {
            raw.send(RawMqtt.subscribe(1, "long/#", 1));
            raw.expect(MqttMessageType.SUBACK);
            raw.send(retained(topic, 1, 5, "big"));
            MqttPublishMessage live = null;
            io.netty.handler.codec.mqtt.MqttMessage ack = null;
            for (int i = 0; i < 2; i++) {
                io.netty.handler.codec.mqtt.MqttMessage m = raw.next(java.time.Duration.ofSeconds(10));
                assertThat(m).isNotNull();
                if (m instanceof MqttPublishMessage p) {
                    live = p;
                } else {
                    ack = m;
                }
            }
            assertThat(live).isNotNull();
            assertThat(Persistent.payload(live)).isEqualTo("big");
            assertThat(ack.fixedHeader().messageType()).isEqualTo(MqttMessageType.PUBACK);
            assertThat(Persistent.reason(ack)).as("quota exceeded").isEqualTo(0x97);
        }
    }

    @Test
    void mosquittoSubGetsTheRetainedMessage() throws Exception {
        MosquittoClients.require();
        int n = MqttFixture.nextRoom();
        String topic = "status/" + n;
        MqttClient publisher = Paho.v3(server.serverUri, "mret-" + n, server.token("rita"), null);
        publisher.publish(topic, "online".getBytes(StandardCharsets.UTF_8), 1, true);
        List<String> args = new ArrayList<>(List.of("-h", "127.0.0.1", "-p", String.valueOf(server.port()),
                "-i", "mret-sub-" + n, "-u", "m", "-P", server.token("sid"), "-t", topic, "--retained-only", "-C", "1",
                "-W", "10", "-v"));
        try (MosquittoClients.Sub sub = new MosquittoClients.Sub(args)) {
            assertThat(sub.nextLine(java.time.Duration.ofSeconds(10))).isEqualTo(topic + " online");
        }
        Paho.closeQuietly(publisher);
    }
}
