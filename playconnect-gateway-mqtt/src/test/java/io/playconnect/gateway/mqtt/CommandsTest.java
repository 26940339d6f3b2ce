package io.playconnect.gateway.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.playconnect.core.RoomId;
import io.playconnect.core.spi.LogRecord;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** PUBLISH as a command, PUBACK after commit and in order, rejections per version, SUBSCRIBE to rooms. */
class CommandsTest extends MqttFixture.SharedServer {
    @Test
    void aMoveIsAckedAfterCommitAndSubscribersGetTheEnvelope() throws Exception {
        int game = MqttFixture.nextRoom();
        Paho.Inbox watched = new Paho.Inbox();
        MqttClient spectator = Paho.v3(server.serverUri, "spectator-" + game, server.token("sam"), watched);
        spectator.subscribe("game/" + game + "/#", 1);
        Paho.Received state = watched.next();
        assertThat(state.topic()).isEqualTo("game/" + game + "/state");
        assertThat(Json.parse(state.payload()).get("seq").asLong()).isZero();

        var player = Paho.v5(server.serverUri, "white-" + game, server.token("wendy"), null);
        player.publish("game/" + game + "/move", "{\"move\":\"e4\"}".getBytes(StandardCharsets.UTF_8), 1, false);
        // The PUBACK arrived: the record must already be in the room's log.
        List<LogRecord> stored = server.broker.roomLog().read(RoomId.of("game", "" + game), 1, 10).join();
        assertThat(stored).hasSize(1);

        Paho.Received event = watched.next();
        assertThat(event.topic()).isEqualTo("game/" + game + "/move");
        assertThat(event.payload()).as("the stored record, unchanged")
                .isEqualTo(new String(stored.get(0).data(), StandardCharsets.UTF_8));
        JsonNode envelope = Json.parse(event.payload());
        assertThat(envelope.get("type").asText()).isEqualTo("game.move");
        assertThat(envelope.get("room").asText()).isEqualTo("game." + game);
        assertThat(envelope.get("seq").asLong()).isEqualTo(1);
        assertThat(envelope.get("payload").get("move").asText()).isEqualTo("e4");
        assertThat(envelope.get("origin").get("protocol").asText()).isEqualTo("mqtt");
        assertThat(envelope.get("origin").get("user").asText()).isEqualTo("wendy");
        assertThat(envelope.get("correlationId").asText()).startsWith("mqtt:white-" + game + ":");
        Paho.closeQuietly(player);
        Paho.closeQuietly(spectator);
    }

    @Test
    void rejectedMoveOnV5IsAPubackReasonCode() throws Exception {
        int game = MqttFixture.nextRoom();
        MqttAsyncClient player = new MqttAsyncClient(server.serverUri, "v5-illegal-" + game, new MemoryPersistence());
        player.connect(Paho.v5Options(server.token("ivan"))).waitForCompletion(10_000);
        IMqttToken token = player.publish("game/" + game + "/move", "{\"move\":\"e5\"}".getBytes(), 1, false);
        try {
            token.waitForCompletion(10_000);
        } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
            assertThat(e.getReasonCode()).isEqualTo(0x83);
        }
        assertThat(token.getReasonCodes()).containsExactly(0x83);
        IMqttToken forbidden = player.publish("$SYS/x", "{}".getBytes(), 1, false);
        try {
            forbidden.waitForCompletion(10_000);
        } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
            assertThat(e.getReasonCode()).isEqualTo(0x87);
        }
        assertThat(forbidden.getReasonCodes()).containsExactly(0x87);
        player.disconnect().waitForCompletion(5000);
        player.close();
    }

    @Test
    void rejectedMoveOnV3IsAckedAndExplainedOnTheErrorTopic() throws Exception {
        int game = MqttFixture.nextRoom();
        String clientId = "v3-illegal-" + game;
        Paho.Inbox inbox = new Paho.Inbox();
        MqttClient player = Paho.v3(server.serverUri, clientId, server.token("judy"), inbox);
        player.subscribe("$playconnect/errors/" + clientId, 1);
        player.publish("game/" + game + "/move", "{\"move\":\"e5\"}".getBytes(), 1, false);
        Paho.Received error = inbox.next();
        assertThat(error.topic()).isEqualTo("$playconnect/errors/" + clientId);
        JsonNode json = Json.parse(error.payload());
        assertThat(json.get("code").asText()).isEqualTo("illegal_move");
        assertThat(json.get("retry").asBoolean()).isFalse();
        assertThat(json.get("correlationId").asText()).startsWith("mqtt:" + clientId + ":");
        assertThat(json.get("message").asText()).isNotEmpty();
        // QoS 0 is fire and forget; its errors still come here.
        player.publish("game/" + game + "/move", "not json".getBytes(), 0, false);
        assertThat(Json.parse(inbox.next().payload()).get("code").asText()).isEqualTo("bad_payload");
        Paho.closeQuietly(player);
    }

    @Test
    void pubacksLeaveInTheOrderThePublishesArrivedAcrossRooms() {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        int base = MqttFixture.nextRoom();
        try (RawMqtt raw = RawMqtt.connected(server.port(), MqttVersion.MQTT_3_1_1, "orderly", server.token("olga"))) {
            int count = 40;
            for (int id = 1; id <= count; id++) {
                int room = base * 100 + random.nextInt(6);
                raw.send(RawMqtt.publish("chat/r" + room + "/message", 1, id, "{\"text\":\"m" + id + "\"}"));
            }
            List<Integer> acked = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                MqttMessage ack = raw.expect(MqttMessageType.PUBACK);
                acked.add(((MqttMessageIdVariableHeader) ack.variableHeader()).messageId());
            }
            List<Integer> expected = new ArrayList<>();
            for (int id = 1; id <= count; id++) {
                expected.add(id);
            }
            assertThat(acked).as("PUBACK order, seed " + seed).isEqualTo(expected);
        }
    }

    @Test
    void aSlowCommandHoldsBackTheAcksOfLaterOnesToOtherRooms() {
        int n = MqttFixture.nextRoom();
        try (MqttFixture slow = MqttFixture.newBuilder()
                .edgeBroker(b -> new DelayingBroker(b, "held-back", Duration.ofMillis(400))).build();
             RawMqtt raw = RawMqtt.connected(slow.port(), MqttVersion.MQTT_3_1_1, "held", slow.token("hal"))) {
            raw.send(RawMqtt.publish("chat/slow" + n + "/message", 1, 1, "{\"text\":\"held-back\"}"));
            raw.send(RawMqtt.publish("chat/fast" + n + "/message", 1, 2, "{\"text\":\"quick\"}"));
            // The engine answers the second command first; its PUBACK still waits for the first one's.
            MqttMessage first = raw.expect(MqttMessageType.PUBACK);
            assertThat(((MqttMessageIdVariableHeader) first.variableHeader()).messageId()).isEqualTo(1);
            MqttMessage second = raw.expect(MqttMessageType.PUBACK);
            assertThat(((MqttMessageIdVariableHeader) second.variableHeader()).messageId()).isEqualTo(2);
        }
    }

    @Test
    void rateLimitedPublishesStillGetTheirPuback() {
        try (MqttFixture strict = MqttFixture.newBuilder()
                .limits(l -> l.messagesPerSecond(1).messageBurst(3)).build();
             RawMqtt raw = RawMqtt.connected(strict.port(), MqttVersion.MQTT_5, "flood", strict.token("fay"))) {
            int n = MqttFixture.nextRoom();
            List<Integer> reasons = new ArrayList<>();
            for (int id = 1; id <= 6; id++) {
                raw.send(RawMqtt.publish("chat/rl" + n + "/message", 1, id, "{\"text\":\"" + id + "\"}"));
            }
            for (int id = 1; id <= 6; id++) {
                MqttMessage ack = raw.expect(MqttMessageType.PUBACK);
                assertThat(((MqttMessageIdVariableHeader) ack.variableHeader()).messageId()).isEqualTo(id);
                reasons.add(((io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader) ack.variableHeader())
                        .reasonCode() & 0xff);
            }
            assertThat(reasons).as("some accepted, the rest quota exceeded").contains(0x97, 0);
        }
    }

    @Test
    void subscribeNeedsTheScopeAndARoomPerFilter() {
        Map<String, List<String>> chatOnly = Map.of("chat.*", MqttFixture.ALL_SCOPES);
        try (RawMqtt v3 = RawMqtt.connected(server.port(), MqttVersion.MQTT_3_1_1, "scoped3", server.token("kim", chatOnly));
             RawMqtt v5 = RawMqtt.connected(server.port(), MqttVersion.MQTT_5, "scoped5", server.token("kim", chatOnly))) {
            assertThat(subAck(v3, 1, "game/1/#")).isEqualTo(0x80);
            assertThat(subAck(v3, 2, "chat/1/#")).isEqualTo(1);
            assertThat(subAck(v5, 1, "game/1/#")).isEqualTo(0x87);
            assertThat(subAck(v5, 2, "chat/+/message")).isEqualTo(0xA2);
            assertThat(subAck(v5, 3, "$SYS/#")).isEqualTo(0x87);
            assertThat(subAck(v5, 4, "a/#/b")).isEqualTo(0x8F);
            assertThat(subAck(v5, 5, "chat/1/a/b")).isEqualTo(0x8F);
            assertThat(subAck(v5, 6, "$share/g/chat/1/#")).isEqualTo(0x9E);
            assertThat(subAck(v5, 7, "$playconnect/errors/scoped5")).isEqualTo(1);
            assertThat(subAck(v5, 8, "sensors/+/temp")).isEqualTo(1);
        }
    }

    private static int subAck(RawMqtt raw, int packetId, String filter) {
        raw.send(RawMqtt.subscribe(packetId, filter, 1));
        MqttSubAckMessage ack = (MqttSubAckMessage) raw.expect(MqttMessageType.SUBACK);
        assertThat(ack.variableHeader().messageId()).isEqualTo(packetId);
        return ack.payload().reasonCodes().get(0);
    }
}
