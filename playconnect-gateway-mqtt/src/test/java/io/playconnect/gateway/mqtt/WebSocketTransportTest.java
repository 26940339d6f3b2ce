package io.playconnect.gateway.mqtt;

import io.playconnect.edge.EdgeMetrics;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** MQTT over WebSocket at /mqtt on the shared HTTP port, and encode-once across subscribers. */
class WebSocketTransportTest {

    @Test
    void pahoOverWebSocketSubscribesAndPublishes() throws Exception {
        try (MqttFixture server = MqttFixture.start()) {
            String ws = server.listeners.stream().filter(l -> l.name().equals("mqtt-ws")).findFirst()
                    .orElseThrow().uri().toString();
            assertThat(ws).endsWith("/mqtt");
            int n = MqttFixture.nextRoom();
            Paho.Inbox inbox = new Paho.Inbox();
            MqttClient client = Paho.v3(ws, "ws-" + n, server.token("walt"), inbox);
            client.subscribe("chat/ws" + n + "/message", 1);
            client.publish("chat/ws" + n + "/message", "{\"text\":\"over ws\"}".getBytes(StandardCharsets.UTF_8), 1, false);
            assertThat(Json.parse(inbox.next().payload()).get("payload").get("text").asText()).isEqualTo("over ws");
            Paho.closeQuietly(client);
        }
    }

    @Test
    void aFailedBindLeavesThePathForTheNextAttemptAndPortMinusOneServesOnlyWebSocket() throws Exception {
        try (MqttFixture server = MqttFixture.start();
             java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            io.playconnect.http.HttpServer http = io.playconnect.http.HttpServer.newBuilder().host("127.0.0.1").port(0).build();
            http.start().join();
            try {
                MqttGateway first = new MqttGateway();
                var busy = io.playconnect.edge.spi.GatewaySettings.newBuilder().host("127.0.0.1")
                        .port(taken.getLocalPort()).build();
                assertThat(first.start(context(server, http, busy))).failsWithin(java.time.Duration.ofSeconds(10));
                first.close();
                MqttGateway second = new MqttGateway();
                var shared = io.playconnect.edge.spi.GatewaySettings.newBuilder().host("127.0.0.1").port(-1).build();
                var listeners = second.start(context(server, http, shared)).join();
                assertThat(listeners).hasSize(1);
                assertThat(listeners.get(0).name()).isEqualTo("mqtt-ws");
                assertThat(listeners.get(0).uri().toString())
                        .isEqualTo("ws://127.0.0.1:" + http.boundAddress().getPort() + "/mqtt");
                second.close();
            } finally {
                http.stop().join();
            }
        }
    }

    private static io.playconnect.edge.spi.GatewayContext context(MqttFixture server, io.playconnect.http.HttpServer http,
                                                                   io.playconnect.edge.spi.GatewaySettings settings) {
        return io.playconnect.edge.spi.GatewayContext.newBuilder().edge(server.edge).settings(settings)
                .extension(io.playconnect.http.HttpServer.class, http).build();
    }

    @Test
    void eachEventIsEncodedOnceForAllSubscribers() throws Exception {
        try (MqttFixture server = MqttFixture.start()) {
            int n = MqttFixture.nextRoom();
            String topic = "chat/e" + n + "/message";
            Paho.Inbox[] inboxes = {new Paho.Inbox(), new Paho.Inbox(), new Paho.Inbox()};
            MqttClient[] subs = new MqttClient[inboxes.length];
            for (int i = 0; i < subs.length; i++) {
                subs[i] = Paho.v3(server.serverUri, "enc-" + n + "-" + i, server.token("u" + i), inboxes[i]);
                subs[i].subscribe(topic, 1);
            }
            double before = server.counter(EdgeMetrics.ENCODES, EdgeMetrics.TAG_PROTOCOL, "mqtt");
            MqttClient pub = Paho.v3(server.serverUri, "enc-pub-" + n, server.token("pub"), null);
            int events = 5;
            for (int i = 0; i < events; i++) {
                pub.publish(topic, ("{\"text\":\"" + i + "\"}").getBytes(StandardCharsets.UTF_8), 1, false);
            }
            for (Paho.Inbox inbox : inboxes) {
                for (int i = 0; i < events; i++) {
                    assertThat(Json.parse(inbox.next().payload()).get("seq").asLong()).isEqualTo(i + 1);
                }
            }
            assertThat(server.counter(EdgeMetrics.ENCODES, EdgeMetrics.TAG_PROTOCOL, "mqtt") - before).isEqualTo(events);
            for (MqttClient c : subs) {
                Paho.closeQuietly(c);
            }
            Paho.closeQuietly(pub);
        }
    }
}
