package io.playconnect.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** MQTT 5 Will Delay Interval: the will waits, and a reconnect of the same client within the delay drops it. */
class WillDelayTest extends MqttFixture.SharedServer {

    /** A connected MQTT 5 client with a will on {@code willTopic} after {@code delay} s and this session expiry. */
    private RawMqtt withWill(String clientId, String willTopic, int delay, int sessionExpiry) {
        RawMqtt raw = RawMqtt.open(server.port(), MqttVersion.MQTT_5);
        raw.send(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5).clientId(clientId)
                .cleanSession(false).keepAlive(60).hasUser(true).username("u").hasPassword(true)
                .password(server.token("willa").getBytes(StandardCharsets.UTF_8))
                .properties(RawV5.props(RawV5.integer(MqttProperties.SESSION_EXPIRY_INTERVAL, sessionExpiry)))
                .willFlag(true).willTopic(willTopic).willMessage("gone".getBytes(StandardCharsets.UTF_8))
                .willQoS(MqttQoS.AT_LEAST_ONCE)
                .willProperties(RawV5.props(RawV5.integer(MqttProperties.WILL_DELAY_INTERVAL, delay))).build());
        MqttConnAckMessage ack = (MqttConnAckMessage) raw.expect(MqttMessageType.CONNACK);
        assertThat(ack.variableHeader().connectReturnCode().byteValue()).isZero();
        return raw;
    }

    @Test
    void aDelayedWillComesAfterTheDelayAndAtOnceWhenTheSessionEndsFirst() throws Exception {
        int n = MqttFixture.nextRoom();
        Paho.Inbox inbox = new Paho.Inbox();
        MqttClient watcher = Paho.v3(server.serverUri, "wd-watch-" + n, server.token("wes"), inbox);
        watcher.subscribe("wd/" + n + "/#", 1);

        withWill("wd-delayed-" + n, "wd/" + n + "/delayed", 1, 60).close();
        // Published at once by someone else: it arrives before the will that waits a second.
        watcher.publish("wd/" + n + "/marker", "now".getBytes(StandardCharsets.UTF_8), 1, false);
        assertThat(inbox.next().topic()).isEqualTo("wd/" + n + "/marker");
        assertThat(inbox.next().topic()).as("the will, after its delay").isEqualTo("wd/" + n + "/delayed");

        // Session expiry 0: the session ends with the connection, and the will goes with it (delay 600 s or not).
        withWill("wd-ended-" + n, "wd/" + n + "/ended", 600, 0).close();
        Paho.Received ended = inbox.next();
        assertThat(ended.topic()).isEqualTo("wd/" + n + "/ended");
        assertThat(ended.payload()).isEqualTo("gone");
        Paho.closeQuietly(watcher);
    }

    @Test
    void aReconnectWithinTheDelayDropsTheWill() throws Exception {
        int n = MqttFixture.nextRoom();
        Paho.Inbox inbox = new Paho.Inbox();
        MqttClient watcher = Paho.v3(server.serverUri, "wd-watch2-" + n, server.token("wes"), inbox);
        watcher.subscribe("wd2/" + n + "/#", 1);
        int before = server.gateway.runtime().delayedWills.get();

        withWill("wd-back-" + n, "wd2/" + n + "/will", 600, 600).close();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.gateway.runtime().delayedWills.get() == before + 1);
        try (RawMqtt back = Persistent.connect(server.port(), MqttVersion.MQTT_5, "wd-back-" + n, server.token("willa"),
                600, true)) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> server.gateway.runtime().delayedWills.get() == before);
            back.send(new io.netty.handler.codec.mqtt.MqttMessage(new io.netty.handler.codec.mqtt.MqttFixedHeader(
                    MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0)));
        }
        watcher.publish("wd2/" + n + "/marker", "after".getBytes(StandardCharsets.UTF_8), 1, false);
        assertThat(inbox.next().topic()).as("no will: the client came back").isEqualTo("wd2/" + n + "/marker");
        Paho.closeQuietly(watcher);
    }
}
