package io.playconnect.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MQTT 5 topic aliases both ways: what a client sends resolved, what it receives shortened. A real
 * client receiving aliases is in clients/mqtt-contract-test (MQTT.js); Paho's Java client 1.2.5
 * hands an empty topic to its callback for an aliased PUBLISH (eclipse-paho/paho.mqtt.java#866) and
 * libmosquitto 2.0.11 refuses them, so neither is used for that.
 */
class TopicAliasTest extends MqttFixture.SharedServer {
    private static final int TOPIC_ALIAS = MqttProperties.TOPIC_ALIAS;

    @Test
    void inboundAliasesResolveToTheirTopicAndTheMaximumIsAdvertised() throws Exception {
        int n = MqttFixture.nextRoom();
        String topic = "alias/" + n + "/in";
        Paho.Inbox inbox = new Paho.Inbox();
        MqttClient sub = Paho.v3(server.serverUri, "alias-sub-" + n, server.token("sue"), inbox);
        sub.subscribe(topic, 1);
        MqttConnAckMessage[] ack = new MqttConnAckMessage[1];
        try (RawMqtt raw = RawV5.connect(server, "alias-pub-" + n, "al", new MqttProperties(), ack)) {
            assertThat(RawV5.intProperty(ack[0], MqttProperties.TOPIC_ALIAS_MAXIMUM)).isEqualTo(32);
            raw.send(RawV5.publish(topic, 1, 1, "first", RawV5.props(RawV5.integer(TOPIC_ALIAS, 32))));
            raw.expect(MqttMessageType.PUBACK);
            raw.send(RawV5.publish("", 1, 2, "second", RawV5.props(RawV5.integer(TOPIC_ALIAS, 32))));
            raw.expect(MqttMessageType.PUBACK);
        }
        assertThat(inbox.next()).isEqualTo(new Paho.Received(topic, "first", 1));
        assertThat(inbox.next()).isEqualTo(new Paho.Received(topic, "second", 1));
        Paho.closeQuietly(sub);
    }

    @Test
    void aliasZeroOrAboveTheMaximumIsTopicAliasInvalidAndAnUnknownAliasAProtocolError() {
        int n = MqttFixture.nextRoom();
        int[][] cases = {{0, 0x94}, {33, 0x94}, {65535, 0x94}};
        for (int[] c : cases) {
            try (RawMqtt raw = RawV5.connect(server, "alias-bad-" + n, "al", new MqttProperties(), null)) {
                raw.send(RawV5.publish("alias/" + n, 0, 0, "x", RawV5.props(RawV5.integer(TOPIC_ALIAS, c[0]))));
                assertThat(ConnectTest.disconnectReason(raw)).as("alias " + c[0]).isEqualTo(c[1]);
            }
        }
        try (RawMqtt raw = RawV5.connect(server, "alias-unknown-" + n, "al", new MqttProperties(), null)) {
            raw.send(RawV5.publish("", 0, 0, "x", RawV5.props(RawV5.integer(TOPIC_ALIAS, 5))));
            assertThat(ConnectTest.disconnectReason(raw)).as("alias never mapped").isEqualTo(0x82);
        }
        try (RawMqtt raw = RawV5.connect(server, "alias-none-" + n, "al", new MqttProperties(), null)) {
            raw.send(RawV5.publish("", 0, 0, "x", new MqttProperties()));
            assertThat(ConnectTest.disconnectReason(raw)).as("no topic and no alias").isEqualTo(0x82);
        }
    }

    @Test
    void outboundPublishesUseAliasesUpToTheClientsMaximum() throws Exception {
        int n = MqttFixture.nextRoom();
        MqttProperties connect = RawV5.props(RawV5.integer(MqttProperties.TOPIC_ALIAS_MAXIMUM, 1));
        try (RawMqtt raw = RawV5.connect(server, "alias-out-" + n, "al", connect, null)) {
            raw.send(RawMqtt.subscribe(1, "out/" + n + "/+", 0));
            raw.expect(MqttMessageType.SUBACK);
            MqttClient pub = Paho.v3(server.serverUri, "alias-out-pub-" + n, server.token("pat"), null);
            for (String t : new String[] {"a", "a", "b", "b", "a"}) {
                pub.publish("out/" + n + "/" + t, t.getBytes(StandardCharsets.UTF_8), 0, false);
            }
            String[][] expected = {{"out/" + n + "/a", "1"}, {"", "1"}, {"out/" + n + "/b", "1"}, {"", "1"},
                {"out/" + n + "/a", "1"}};
            for (String[] e : expected) {
                MqttPublishMessage p = (MqttPublishMessage) raw.expect(MqttMessageType.PUBLISH);
                assertThat(p.variableHeader().topicName()).as("topic sent").isEqualTo(e[0]);
                assertThat(RawV5.intProperty(p, TOPIC_ALIAS)).as("alias").isEqualTo(Integer.valueOf(e[1]));
                p.release();
            }
            Paho.closeQuietly(pub);
        }
        try (RawMqtt raw = RawV5.connect(server, "alias-off-" + n, "al", new MqttProperties(), null)) {
            raw.send(RawMqtt.subscribe(1, "off/" + n, 0));
            raw.expect(MqttMessageType.SUBACK);
            raw.send(RawV5.publish("off/" + n, 0, 0, "x", new MqttProperties()));
            MqttPublishMessage p = (MqttPublishMessage) raw.expect(MqttMessageType.PUBLISH);
            assertThat(p.variableHeader().topicName()).isEqualTo("off/" + n);
            assertThat(RawV5.intProperty(p, TOPIC_ALIAS)).as("no alias without the client's maximum").isNull();
            p.release();
        }
    }
}
