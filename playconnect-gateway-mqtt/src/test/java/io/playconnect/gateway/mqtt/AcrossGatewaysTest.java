package io.playconnect.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** MQTT 5 features that span gateways sharing one broker: shared subscriptions and will delay. */
class AcrossGatewaysTest {

    @Test
    void aShareGroupWithMembersOnTwoGatewaysGetsEachMessageOnce() throws Exception {
        try (MqttFixture one = MqttFixture.start(); MqttFixture.SecondGateway two = one.secondGateway(one.sessionStore)) {
            int n = MqttFixture.nextRoom();
            String topic = "across/" + n;
            List<RawMqtt> members = List.of(RawMqtt.connected(one.port(), MqttVersion.MQTT_5, "m1-" + n, one.token("a")),
                    RawMqtt.connected(two.port, MqttVersion.MQTT_5, "m2-" + n, one.token("b")));
            for (RawMqtt m : members) {
                m.send(RawMqtt.subscribe(1, "$share/team/" + topic, 0));
                m.expect(MqttMessageType.SUBACK);
            }
            MqttClient pub = Paho.v3(one.serverUri, "across-pub-" + n, one.token("p"), null);
            int count = 20;
            for (int i = 0; i < count; i++) {
                pub.publish(topic, ("m" + i).getBytes(StandardCharsets.UTF_8), 0, false);
            }
            List<String> got = new ArrayList<>();
            for (RawMqtt m : members) {
                MqttMessage p;
                while ((p = m.next(Duration.ofMillis(500))) != null) {
                    got.add(RawV5.payload((MqttPublishMessage) p));
                    ((MqttPublishMessage) p).release();
                }
            }
            assertThat(got).as("each message to one member, whichever gateway").hasSize(count).doesNotHaveDuplicates();
            members.forEach(RawMqtt::close);
            Paho.closeQuietly(pub);
        }
    }

    @Test
    void aReconnectOnAnotherGatewayDropsADelayedWill() throws Exception {
        try (MqttFixture one = MqttFixture.start(); MqttFixture.SecondGateway two = one.secondGateway(one.sessionStore)) {
            int n = MqttFixture.nextRoom();
            Paho.Inbox inbox = new Paho.Inbox();
            MqttClient watcher = Paho.v3(one.serverUri, "xw-watch-" + n, one.token("wes"), inbox);
            watcher.subscribe("xw/" + n + "/#", 1);
            RawMqtt first = RawMqtt.open(one.port(), MqttVersion.MQTT_5);
            first.send(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5).clientId("roamer-" + n)
                    .cleanSession(false).keepAlive(60).hasUser(true).username("u").hasPassword(true)
                    .password(one.token("rom").getBytes(StandardCharsets.UTF_8))
                    .properties(RawV5.props(RawV5.integer(MqttProperties.SESSION_EXPIRY_INTERVAL, 600)))
                    .willFlag(true).willTopic("xw/" + n + "/will").willMessage("gone".getBytes(StandardCharsets.UTF_8))
                    .willQoS(MqttQoS.AT_LEAST_ONCE)
                    .willProperties(RawV5.props(RawV5.integer(MqttProperties.WILL_DELAY_INTERVAL, 600))).build());
            assertThat(((MqttConnAckMessage) first.expect(MqttMessageType.CONNACK)).variableHeader()
                    .connectReturnCode().byteValue()).isZero();
            first.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> one.gateway.runtime().delayedWills.get() == 1);
            try (RawMqtt back = Persistent.connect(two.port, MqttVersion.MQTT_5, "roamer-" + n, one.token("rom"), 600,
                    true)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> one.gateway.runtime().delayedWills.get() == 0);
                back.send(new MqttMessage(new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE,
                        false, 0)));
            }
            watcher.publish("xw/" + n + "/marker", "after".getBytes(StandardCharsets.UTF_8), 1, false);
            assertThat(inbox.next().topic()).as("no will: the client came back elsewhere").isEqualTo("xw/" + n + "/marker");
            Paho.closeQuietly(watcher);
        }
    }
}
