package io.playconnect.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Wills (plain and room topics) and plain publish/subscribe through the broker. */
class WillAndPlainTopicsTest extends MqttFixture.SharedServer {
    private RawMqtt withWill(String clientId, String willTopic, String willPayload) {
        RawMqtt raw = RawMqtt.open(server.port(), MqttVersion.MQTT_3_1_1);
        raw.send(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_3_1_1).clientId(clientId)
                .cleanSession(true).keepAlive(60).hasUser(true).username("u").hasPassword(true)
                .password(server.token("willy").getBytes(StandardCharsets.UTF_8))
                .willFlag(true).willTopic(willTopic).willMessage(willPayload.getBytes(StandardCharsets.UTF_8))
                .willQoS(MqttQoS.AT_LEAST_ONCE).build());
        raw.expect(MqttMessageType.CONNACK);
        return raw;
    }

    @Test
    void willOnAPlainTopicIsPublishedWhenTheConnectionIsLostButNotAfterDisconnect() throws Exception {
        int n = MqttFixture.nextRoom();
        Paho.Inbox inbox = new Paho.Inbox();
        MqttClient watcher = Paho.v3(server.serverUri, "watcher-" + n, server.token("wes"), inbox);
        watcher.subscribe("status/" + n + "/#", 1);

        RawMqtt polite = withWill("polite-" + n, "status/" + n + "/polite", "offline");
        polite.send(new MqttMessage(new io.netty.handler.codec.mqtt.MqttFixedHeader(MqttMessageType.DISCONNECT,
                false, MqttQoS.AT_MOST_ONCE, false, 0)));
        assertThat(polite.awaitClosed(Duration.ofSeconds(5))).isTrue();
        polite.close();
        RawMqtt crashing = withWill("crashing-" + n, "status/" + n + "/crashing", "offline");
        crashing.close();

        Paho.Received will = inbox.next();
        assertThat(will.topic()).as("the polite client's will was dropped").isEqualTo("status/" + n + "/crashing");
        assertThat(will.payload()).isEqualTo("offline");
        assertThat(will.qos()).isEqualTo(1);
        // Once: the next message is a marker published after it, not the will again.
        watcher.publish("status/" + n + "/marker", "m".getBytes(StandardCharsets.UTF_8), 1, false);
        assertThat(inbox.next().topic()).isEqualTo("status/" + n + "/marker");
        Paho.closeQuietly(watcher);
    }

    @Test
    void aPersistentSessionsWillFiresOnceWhenTakenOverAndNeverAfterDisconnect() throws Exception {
        int n = MqttFixture.nextRoom();
        Paho.Inbox inbox = new Paho.Inbox();
        MqttClient watcher = Paho.v3(server.serverUri, "pwatcher-" + n, server.token("wes"), inbox);
        watcher.subscribe("pstatus/" + n + "/#", 1);
        String token = server.token("willy");
        RawMqtt first = RawMqtt.open(server.port(), MqttVersion.MQTT_3_1_1);
        first.send(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_3_1_1).clientId("pdev-" + n)
                .cleanSession(false).keepAlive(60).hasUser(true).username("u").hasPassword(true)
                .password(token.getBytes(StandardCharsets.UTF_8)).willFlag(true).willTopic("pstatus/" + n + "/gone")
                .willMessage("lost".getBytes(StandardCharsets.UTF_8)).willQoS(MqttQoS.AT_LEAST_ONCE).build());
        first.expect(MqttMessageType.CONNACK);
        // Taken over by the same client id: the first connection ended abnormally, its will goes out once.
        RawMqtt second = Persistent.connect(server.port(), MqttVersion.MQTT_3_1_1, "pdev-" + n, token, null, true);
        assertThat(first.awaitClosed(Duration.ofSeconds(10))).isTrue();
        first.close();
        assertThat(inbox.next().payload()).isEqualTo("lost");
        // The second connection has no will and leaves normally: nothing more.
        second.send(new MqttMessage(new io.netty.handler.codec.mqtt.MqttFixedHeader(MqttMessageType.DISCONNECT,
                false, MqttQoS.AT_MOST_ONCE, false, 0)));
        assertThat(second.awaitClosed(Duration.ofSeconds(10))).isTrue();
        second.close();
        watcher.publish("pstatus/" + n + "/marker", "m".getBytes(StandardCharsets.UTF_8), 1, false);
        assertThat(inbox.next().topic()).isEqualTo("pstatus/" + n + "/marker");
        Paho.closeQuietly(watcher);
    }

    @Test
    void willOnARoomTopicIsACommand() throws Exception {
        int n = MqttFixture.nextRoom();
        Paho.Inbox inbox = new Paho.Inbox();
        MqttClient watcher = Paho.v3(server.serverUri, "room-watcher-" + n, server.token("wes"), inbox);
        // The state message says the room is joined: the will's command comes after it, as an event.
        watcher.subscribe("chat/w" + n + "/#", 1);
        assertThat(inbox.next().topic()).isEqualTo("chat/w" + n + "/state");
        withWill("device-" + n, "chat/w" + n + "/message", "{\"text\":\"device lost\"}").close();
        Paho.Received event = inbox.next();
        assertThat(Json.parse(event.payload()).get("payload").get("text").asText()).isEqualTo("device lost");
        assertThat(Json.parse(event.payload()).get("origin").get("user").asText()).isEqualTo("willy");
        Paho.closeQuietly(watcher);
    }

    @Test
    void plainTopicsArePubSubWithWildcardsAndNoLocal() throws Exception {
        int n = MqttFixture.nextRoom();
        Paho.Inbox v3Inbox = new Paho.Inbox();
        MqttClient v3 = Paho.v3(server.serverUri, "plain3-" + n, server.token("pat"), v3Inbox);
        v3.subscribe(new String[] {"sensors/" + n + "/+/temp", "#"}, new int[] {1, 0});
        Paho.Inbox v5Inbox = new Paho.Inbox();
        var v5 = Paho.v5(server.serverUri, "plain5-" + n, server.token("pat"), v5Inbox);
        MqttSubscription noLocal = new MqttSubscription("sensors/" + n + "/#", 1);
        noLocal.setNoLocal(true);
        v5.subscribe(new MqttSubscription[] {noLocal});

        v5.publish("sensors/" + n + "/kitchen/temp", "21.5".getBytes(StandardCharsets.UTF_8), 1, false);
        Paho.Received first = v3Inbox.next();
        Paho.Received second = v3Inbox.next();
        assertThat(first.payload()).isEqualTo("21.5");
        assertThat(second.payload()).isEqualTo("21.5");
        assertThat(first.topic()).isEqualTo("sensors/" + n + "/kitchen/temp");
        assertThat(Math.max(first.qos(), second.qos())).as("one copy per matching subscription").isEqualTo(1);

        v3.publish("sensors/" + n + "/hall/temp", "19".getBytes(StandardCharsets.UTF_8), 1, false);
        Paho.Received atV5 = v5Inbox.next();
        assertThat(atV5.topic()).as("no-local hid the v5 client's own message").isEqualTo("sensors/" + n + "/hall/temp");
        // '#' never matches server topics and plain filters never get room events.
        v3.publish("chat/p" + n + "/message", "{\"text\":\"x\"}".getBytes(StandardCharsets.UTF_8), 1, false);
        v3.publish("zz/" + n, "marker".getBytes(StandardCharsets.UTF_8), 1, false);
        Paho.Received next;
        do {
            next = v3Inbox.next();
        } while (next.topic().startsWith("sensors/"));
        assertThat(next.topic()).isEqualTo("zz/" + n);
        Paho.closeQuietly(v3);
        Paho.closeQuietly(v5);
    }

    @Test
    void withoutABrokerPlainTopicsAreRefused() {
        try (MqttFixture noBus = MqttFixture.newBuilder().plainTopics(false).build();
             RawMqtt raw = RawMqtt.connected(noBus.port(), MqttVersion.MQTT_3_1_1, "nobus", noBus.token("nora"))) {
            raw.send(RawMqtt.subscribe(1, "plain/x", 1));
            MqttSubAckMessage ack = (MqttSubAckMessage) raw.expect(MqttMessageType.SUBACK);
            assertThat(ack.payload().reasonCodes()).containsExactly(0x80);
        }
    }
}
