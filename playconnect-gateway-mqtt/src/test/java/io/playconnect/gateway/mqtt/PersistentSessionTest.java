package io.playconnect.gateway.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.playconnect.core.RoomId;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Persistent sessions (clean session 0, MQTT 5 session expiry) with real clients: a device that
 * misses ten moves gets exactly those on reconnect; QoS 2 in both directions; redelivery with DUP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PersistentSessionTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private MqttFixture server;

    @BeforeAll
    void start() {
        server = MqttFixture.newBuilder().webSocketGateway(true).build();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private MqttClient device(String clientId, Paho.Inbox inbox) throws Exception {
        MqttClient client = new MqttClient(server.serverUri, clientId, new MemoryPersistence());
        client.setTimeToWait(10_000);
        client.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
                inbox.add(topic, message.getPayload(), message.getQos());
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions options = Paho.v3Options(server.token("bob"));
        options.setCleanSession(false);
        client.connect(options);
        return client;
    }

    /** The next event on the move topic (state messages are skipped). */
    private static JsonNode nextMove(Paho.Inbox inbox, String topic) {
        for (int i = 0; i < 50; i++) {
            Paho.Received r = inbox.next();
            if (r.topic().equals(topic)) {
                return Json.parse(r.payload());
            }
            assertThat(r.topic()).as("only the state and moves").endsWith("/state");
        }
        throw new AssertionError("no move");
    }

    @Test
    void aDeviceOfflineForTenMovesGetsExactlyThoseOnReconnect() throws Exception {
        int game = MqttFixture.nextRoom();
        String topic = "game/" + game + "/move";
        Paho.Inbox inbox = new Paho.Inbox();
        MqttClient device = device("device-" + game, inbox);
        device.subscribe("game/" + game + "/#", 1);
        assertThat(inbox.next().topic()).isEqualTo("game/" + game + "/state");
        try (CrossProtocolGameTest.WebPlayer white = CrossProtocolGameTest.WebPlayer.connect(server.wsGatewayUri,
                server.token("alice"));
             CrossProtocolGameTest.WebPlayer blackOnWeb = CrossProtocolGameTest.WebPlayer.connect(server.wsGatewayUri,
                     server.token("bob"))) {
            white.send("{\"op\":\"join\",\"room\":\"game." + game + "\"}");
            white.await("\"op\":\"snapshot\"");
            white.move(game, "e4", "w1");
            device.publish(topic, "{\"move\":\"e5\"}".getBytes(StandardCharsets.UTF_8), 1, false);
            white.move(game, "Nf3", "w2");
            device.publish(topic, "{\"move\":\"Nc6\"}".getBytes(StandardCharsets.UTF_8), 1, false);
            for (long seq = 1; seq <= 4; seq++) {
                assertThat(nextMove(inbox, topic).get("seq").asLong()).isEqualTo(seq);
            }
            device.disconnect(5000);
            device.close();

            String[] offline = {"Bb5", "a6", "Ba4", "Nf6", "O-O", "Be7", "Re1", "b5", "Bb3", "d6"};
            for (int i = 0; i < offline.length; i++) {
                (i % 2 == 0 ? white : blackOnWeb).move(game, offline[i], "m" + i);
            }
            Paho.Inbox after = new Paho.Inbox();
            MqttClient back = device("device-" + game, after);
            for (int i = 0; i < offline.length; i++) {
                JsonNode event = nextMove(after, topic);
                JsonNode seen = white.event(5 + i);
                assertThat(event.get("seq").asLong()).isEqualTo(5 + i);
                assertThat(event.get("epoch").asText()).isEqualTo(seen.get("epoch").asText());
                assertThat(event.get("payload").get("move").asText()).isEqualTo(offline[i]);
                assertThat(event.get("id").asText()).isEqualTo(seen.get("id").asText());
            }
            white.move(game, "c3", "after");
            Paho.Received next = after.next();
            assertThat(next.topic()).as("nothing twice, no state: the resume recovered").isEqualTo(topic);
            assertThat(Json.parse(next.payload()).get("seq").asLong()).isEqualTo(15);
            Paho.closeQuietly(back);
        }
    }

    @Test
    void qos2RetriedBeforePubrelIsAppliedOnceAcrossAReconnect() {
        int n = MqttFixture.nextRoom();
        String topic = "chat/q" + n + "/message";
        String token = server.token("quinn");
        try (RawMqtt raw = Persistent.connect(server.port(), MqttVersion.MQTT_5, "q2-" + n, token, 600, false)) {
            raw.send(RawMqtt.publish(topic, 2, 7, "{\"text\":\"once\"}"));
            assertThat(Persistent.packetId(raw.expect(MqttMessageType.PUBREC))).isEqualTo(7);
            raw.send(Persistent.dup(topic, 2, 7, "{\"text\":\"once\"}"));
            assertThat(Persistent.packetId(raw.expect(MqttMessageType.PUBREC))).isEqualTo(7);
        }
        try (RawMqtt raw = Persistent.connect(server.port(), MqttVersion.MQTT_5, "q2-" + n, token, 600, true)) {
            raw.send(Persistent.dup(topic, 2, 7, "{\"text\":\"once\"}"));
            assertThat(Persistent.packetId(raw.expect(MqttMessageType.PUBREC))).isEqualTo(7);
            raw.send(Persistent.reply(MqttMessageType.PUBREL, 7));
            MqttMessage comp = raw.expect(MqttMessageType.PUBCOMP);
            assertThat(Persistent.reason(comp)).isZero();
            raw.send(Persistent.reply(MqttMessageType.PUBREL, 7));
            assertThat(Persistent.reason(raw.expect(MqttMessageType.PUBCOMP))).as("unknown id").isEqualTo(0x92);
            raw.send(Persistent.reply(MqttMessageType.PUBREC, 99));
            assertThat(Persistent.reason(raw.expect(MqttMessageType.PUBREL))).as("unknown id").isEqualTo(0x92);
            // The id is free again: a new message with it is a new command.
            raw.send(RawMqtt.publish(topic, 2, 7, "{\"text\":\"second\"}"));
            raw.expect(MqttMessageType.PUBREC);
        }
        RoomId room = RoomId.of("chat", "q" + n);
        await().atMost(WAIT).until(() -> server.broker.roomLog().read(room, 1, 10).join().size() == 2);
        List<String> texts = new ArrayList<>();
        for (var record : server.broker.roomLog().read(room, 1, 10).join()) {
            texts.add(Json.parse(new String(record.data(), StandardCharsets.UTF_8)).get("payload").get("text").asText());
        }
        assertThat(texts).containsExactly("once", "second");
    }

    @Test
    void unacknowledgedQos1AndQos2PublishesAreResentWithDupOnReconnect() throws Exception {
        int n = MqttFixture.nextRoom();
        String token = server.token("sam");
        String a = "chat/ra" + n;
        String b = "chat/rb" + n;
        List<MqttPublishMessage> first = new ArrayList<>();
        try (RawMqtt raw = Persistent.connect(server.port(), MqttVersion.MQTT_3_1_1, "redeliver-" + n, token, null, false)) {
            raw.send(RawMqtt.subscribe(1, a + "/#", 1));
            assertThat(((MqttSubAckMessage) raw.expect(MqttMessageType.SUBACK)).payload().grantedQoSLevels())
                    .containsExactly(1);
            first.add(Persistent.publish(raw));
            raw.send(RawMqtt.subscribe(2, b + "/#", 2));
            assertThat(((MqttSubAckMessage) raw.expect(MqttMessageType.SUBACK)).payload().grantedQoSLevels())
                    .containsExactly(2);
            first.add(Persistent.publish(raw));
            MqttClient publisher = Paho.v3(server.serverUri, "pub-" + n, server.token("pat"), null);
            publisher.publish(a + "/message", "{\"text\":\"a1\"}".getBytes(StandardCharsets.UTF_8), 1, false);
            publisher.publish(b + "/message", "{\"text\":\"b1\"}".getBytes(StandardCharsets.UTF_8), 1, false);
            first.add(Persistent.publish(raw));
            first.add(Persistent.publish(raw));
            Paho.closeQuietly(publisher);
            assertThat(first).extracting(p -> p.variableHeader().topicName())
                    .containsExactly(a + "/state", b + "/state", a + "/message", b + "/message");
            assertThat(first).extracting(p -> p.fixedHeader().qosLevel().value()).containsExactly(1, 2, 1, 2);
            assertThat(first).allMatch(p -> !p.fixedHeader().isDup());
        }
        int qos2EventId;
        try (RawMqtt raw = Persistent.connect(server.port(), MqttVersion.MQTT_3_1_1, "redeliver-" + n, token, null, true)) {
            for (MqttPublishMessage original : first) {
                MqttPublishMessage again = Persistent.publish(raw);
                assertThat(again.fixedHeader().isDup()).isTrue();
                assertThat(again.variableHeader().packetId()).isEqualTo(original.variableHeader().packetId());
                assertThat(again.variableHeader().topicName()).isEqualTo(original.variableHeader().topicName());
                assertThat(Persistent.payload(again)).isEqualTo(Persistent.payload(original));
            }
            raw.send(Persistent.reply(MqttMessageType.PUBACK, Persistent.packetId(first.get(0))));
            raw.send(Persistent.reply(MqttMessageType.PUBACK, Persistent.packetId(first.get(2))));
            raw.send(Persistent.reply(MqttMessageType.PUBREC, Persistent.packetId(first.get(1))));
            assertThat(Persistent.packetId(raw.expect(MqttMessageType.PUBREL))).isEqualTo(Persistent.packetId(first.get(1)));
            raw.send(Persistent.reply(MqttMessageType.PUBCOMP, Persistent.packetId(first.get(1))));
            qos2EventId = Persistent.packetId(first.get(3));
            raw.send(Persistent.reply(MqttMessageType.PUBREC, qos2EventId));
            assertThat(Persistent.packetId(raw.expect(MqttMessageType.PUBREL))).isEqualTo(qos2EventId);
        }
        try (RawMqtt raw = Persistent.connect(server.port(), MqttVersion.MQTT_3_1_1, "redeliver-" + n, token, null, true)) {
            // Received but not completed: only the PUBREL is sent again.
            assertThat(Persistent.packetId(raw.expect(MqttMessageType.PUBREL))).isEqualTo(qos2EventId);
            raw.send(Persistent.reply(MqttMessageType.PUBCOMP, qos2EventId));
            MqttClient publisher = Paho.v3(server.serverUri, "pub2-" + n, server.token("pat"), null);
            publisher.publish(a + "/message", "{\"text\":\"a2\"}".getBytes(StandardCharsets.UTF_8), 1, false);
            Paho.closeQuietly(publisher);
            MqttPublishMessage fresh = Persistent.publish(raw);
            assertThat(fresh.fixedHeader().isDup()).isFalse();
            assertThat(Json.parse(Persistent.payload(fresh)).get("seq").asLong()).as("nothing resent twice").isEqualTo(2);
        }
    }

    @Test
    void qos2ToAPahoSubscriberArrivesExactlyOnce() throws Exception {
        int n = MqttFixture.nextRoom();
        Paho.Inbox inbox = new Paho.Inbox();
        org.eclipse.paho.mqttv5.client.MqttClient sub = Paho.v5(server.serverUri, "q2sub-" + n, server.token("una"), inbox);
        sub.subscribe("chat/e" + n + "/#", 2);
        assertThat(inbox.next().topic()).as("joined").isEqualTo("chat/e" + n + "/state");
        MqttClient publisher = Paho.v3(server.serverUri, "q2pub-" + n, server.token("pat"), null);
        for (int i = 0; i < 5; i++) {
            publisher.publish("chat/e" + n + "/message", ("{\"text\":\"" + i + "\"}").getBytes(StandardCharsets.UTF_8),
                    2, false);
        }
        publisher.publish("chat/e" + n + "/message", "{\"text\":\"end\"}".getBytes(StandardCharsets.UTF_8), 1, false);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Paho.Received r = inbox.next();
            assertThat(r.qos()).as("room events go at the subscription's QoS").isEqualTo(2);
            texts.add(Json.parse(r.payload()).get("payload").get("text").asText());
        }
        assertThat(texts).containsExactly("0", "1", "2", "3", "4", "end");
        Paho.closeQuietly(publisher);
        Paho.closeQuietly(sub);
    }

    @Test
    void mosquittoSubWithoutCleanSessionGetsWhatItMissed() throws Exception {
        MosquittoClients.require();
        int n = MqttFixture.nextRoom();
        String topic = "chat/mq" + n + "/message";
        List<String> args = List.of("-h", "127.0.0.1", "-p", String.valueOf(server.port()), "-i", "mq-" + n, "-c",
                "-q", "1", "-u", "m", "-P", server.token("mona"), "-t", "chat/mq" + n + "/#", "-v");
        MqttClient publisher = Paho.v3(server.serverUri, "mqpub-" + n, server.token("pat"), null);
        try (MosquittoClients.Sub first = new MosquittoClients.Sub(args)) {
            assertThat(first.nextLine(WAIT)).startsWith("chat/mq" + n + "/state ");
            publisher.publish(topic, "{\"text\":\"seen\"}".getBytes(StandardCharsets.UTF_8), 1, false);
            assertThat(first.nextLine(WAIT)).startsWith(topic + " ").contains("\"seen\"");
        }
        for (int i = 0; i < 3; i++) {
            publisher.publish(topic, ("{\"text\":\"missed" + i + "\"}").getBytes(StandardCharsets.UTF_8), 1, false);
        }
        try (MosquittoClients.Sub again = new MosquittoClients.Sub(args)) {
            for (int i = 0; i < 3; i++) {
                String line = again.nextLine(WAIT);
                assertThat(line).as("no state: the room resumed").startsWith(topic + " ");
                JsonNode event = Json.parse(line.substring(topic.length() + 1));
                assertThat(event.get("seq").asLong()).isEqualTo(2 + i);
                assertThat(event.get("payload").get("text").asText()).isEqualTo("missed" + i);
            }
        }
        Paho.closeQuietly(publisher);
    }
}
