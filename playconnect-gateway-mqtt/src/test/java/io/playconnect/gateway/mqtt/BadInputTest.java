package io.playconnect.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttVersion;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Broken packets from raw sockets: each closes its own connection as the specification says
 * (MQTT 5: a DISCONNECT with the reason first; 3.1.1: just the close), and a well-behaved client
 * beside them loses nothing.
 */
class BadInputTest extends MqttFixture.SharedServer {
    @Test
    void eachViolationClosesOnlyItsConnectionAndABystanderLosesNothing() throws Exception {
        int room = MqttFixture.nextRoom();
        String topic = "chat/b" + room + "/message";
        Paho.Inbox inbox = new Paho.Inbox();
        MqttClient bystander = Paho.v3(server.serverUri, "bystander", server.token("bea"), inbox);
        bystander.subscribe(topic, 1);
        var publisher = Paho.v5(server.serverUri, "bystander-pub", server.token("bob"), null);
        int sent = 0;

        for (boolean v5 : new boolean[] {false, true}) {
            expectClose(v5, new byte[] {(byte) 0x80, 0x02, 0x00, 0x01}, 0x81, "SUBSCRIBE with reserved flags 0");
            publisher.publish(topic, ("{\"text\":\"" + sent++ + "\"}").getBytes(), 1, false);
            expectClose(v5, subscribeWithShortLength(v5), 0x81, "remaining length one byte short");
            expectClose(v5, publish(v5, 0x30, "a/+".getBytes(StandardCharsets.UTF_8), -1), 0x90, "wildcard in topic");
            publisher.publish(topic, ("{\"text\":\"" + sent++ + "\"}").getBytes(), 1, false);
            expectClose(v5, publish(v5, 0x32, "a/b".getBytes(StandardCharsets.UTF_8), 0), 0x82, "packet id 0 at QoS 1");
            expectClose(v5, publish(v5, 0x30, new byte[] {'a', '/', (byte) 0xC3, 0x28}, -1), 0x81, "invalid UTF-8");
            expectClose(v5, oversizeHeader(v5), 0x95, "packet over the limit");
            publisher.publish(topic, ("{\"text\":\"" + sent++ + "\"}").getBytes(), 1, false);
        }

        Set<String> texts = new HashSet<>();
        for (int i = 0; i < sent; i++) {
            texts.add(Json.parse(inbox.next().payload()).get("payload").get("text").asText());
        }
        assertThat(texts).hasSize(sent);
        assertThat(inbox.next(Duration.ofMillis(100))).isNull();
        assertThat(bystander.isConnected()).isTrue();
        Paho.closeQuietly(bystander);
        Paho.closeQuietly(publisher);
    }

    private void expectClose(boolean v5, byte[] bytes, int v5Reason, String what) {
        MqttVersion version = v5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1;
        try (RawMqtt raw = RawMqtt.connected(server.port(), version, "bad-" + (v5 ? 5 : 3), server.token("mallory"))) {
            raw.sendBytes(bytes);
            if (v5) {
                assertThat(ConnectTest.disconnectReason(raw)).as(what).isEqualTo(v5Reason);
            }
            assertThat(raw.awaitClosed(Duration.ofSeconds(5))).as(what + " closes").isTrue();
            if (!v5) {
                assertThat(raw.next(Duration.ZERO)).as(what + ": MQTT 3.1.1 gets no DISCONNECT").isNull();
            }
        }
    }

    private static byte[] publish(boolean v5, int firstByte, byte[] topic, int packetId) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(topic.length >> 8);
        body.write(topic.length);
        body.writeBytes(topic);
        if (packetId >= 0) {
            body.write(packetId >> 8);
            body.write(packetId);
        }
        if (v5) {
            body.write(0);
        }
        body.writeBytes("{}".getBytes(StandardCharsets.UTF_8));
        return packet(firstByte, body.toByteArray());
    }

    private static byte[] subscribeWithShortLength(boolean v5) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x00, 0x07});
        if (v5) {
            body.write(0);
        }
        body.writeBytes(new byte[] {0x00, 0x03, 'a', '/', 'b', 0x01});
        byte[] full = packet(0x82, body.toByteArray());
        full[1]--;
        return full;
    }

    /** A PUBLISH announcing one byte more than the gateway's packet limit; its payload never comes. */
    private byte[] oversizeHeader(boolean v5) {
        int remaining = server.edge.limits().maxPayloadBytes() + MqttConfig.PACKET_SLACK_BYTES + 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        writeLength(out, remaining);
        out.writeBytes(new byte[] {0x00, 0x01, 'a'});
        if (v5) {
            out.write(0);
        }
        return out.toByteArray();
    }

    private static byte[] packet(int firstByte, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        writeLength(out, body.length);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static void writeLength(ByteArrayOutputStream out, int length) {
        do {
            int digit = length % 128;
            length /= 128;
            out.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
    }
}
