package io.playconnect.gateway.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One chess game across protocols: a browser-like player over the WebSocket gateway (the JDK's
 * WebSocket client) against a device player ({@code mosquitto_pub}), watched by an MQTT spectator
 * ({@code mosquitto_sub}). Everyone sees the same moves with the same seqs; the device's illegal
 * move is refused with a PUBACK reason code and reaches nobody.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossProtocolGameTest {
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

    @Test
    void aWebPlayerAndADevicePlayOneGameWatchedOverMqtt() throws Exception {
        MosquittoClients.require();
        int game = MqttFixture.nextRoom();
        String topic = "game/" + game + "/move";
        List<String> common = List.of("-h", "127.0.0.1", "-p", String.valueOf(server.port()));
        List<String> subArgs = new ArrayList<>(common);
        subArgs.addAll(List.of("-i", "spectator-" + game, "-u", "spectator", "-P", server.token("spectator"),
                "-q", "1", "-v", "-t", "game/" + game + "/#"));
        try (MosquittoClients.Sub spectator = new MosquittoClients.Sub(subArgs);
             WebPlayer white = WebPlayer.connect(server.wsGatewayUri, server.token("white"))) {
            assertThat(spectator.nextLine(WAIT)).as("the state on subscribe").startsWith("game/" + game + "/state ");
            white.send("{\"op\":\"join\",\"room\":\"game." + game + "\"}");
            white.await("\"op\":\"snapshot\"");

            white.move(game, "e4", "w1");
            MosquittoClients.Result illegal = device(common, game, topic, "e4");
            // mosquitto_pub reports a PUBACK reason code >= 0x80 by name (0x83 for a rule rejection).
            assertThat(illegal.output()).contains("Publish 1 failed: Implementation specific error");
            assertThat(device(common, game, topic, "e5").output()).doesNotContain("failed");
            white.move(game, "Nf3", "w2");
            assertThat(device(common, game, topic, "Nc6").output()).doesNotContain("failed");

            List<String> moves = List.of("e4", "e5", "Nf3", "Nc6");
            for (int seq = 1; seq <= moves.size(); seq++) {
                String line = spectator.nextLine(WAIT);
                assertThat(line).startsWith(topic + " ");
                JsonNode event = Json.parse(line.substring(topic.length() + 1));
                assertThat(event.get("seq").asLong()).isEqualTo(seq);
                assertThat(event.get("payload").get("move").asText()).isEqualTo(moves.get(seq - 1));
                JsonNode seen = white.event(seq);
                assertThat(seen.get("payload").get("move").asText()).isEqualTo(moves.get(seq - 1));
                assertThat(seen.get("epoch").asText()).isEqualTo(event.get("epoch").asText());
            }
            assertThat(event(server, game, 2).get("origin").get("protocol").asText()).isEqualTo("mqtt");
            assertThat(event(server, game, 1).get("origin").get("protocol").asText()).isEqualTo("websocket");
        }
    }

    private static JsonNode event(MqttFixture server, int game, long seq) {
        byte[] data = server.broker.roomLog().read(io.playconnect.core.RoomId.of("game", "" + game), seq, 1).join()
                .get(0).data();
        return Json.parse(new String(data, java.nio.charset.StandardCharsets.UTF_8));
    }

    private MosquittoClients.Result device(List<String> common, int game, String topic, String move) {
        List<String> args = new ArrayList<>(common);
        args.addAll(List.of("-V", "mqttv5", "-i", "device-" + game, "-u", "device", "-P", server.token("device"),
                "-q", "1", "-t", topic, "-m", "{\"move\":\"" + move + "\"}"));
        return MosquittoClients.pub(args);
    }

    /** A player over the WebSocket gateway, with the JDK's client. */
    static final class WebPlayer implements WebSocket.Listener, AutoCloseable {
        private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        private final List<JsonNode> events = new ArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        static WebPlayer connect(URI ws, String token) {
            WebPlayer p = new WebPlayer();
            p.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create(ws + "?token=" + token), p).join();
            return p;
        }

        void send(String json) {
            socket.sendText(json, true).join();
        }

        void move(int game, String move, String correlationId) throws InterruptedException {
            send("{\"op\":\"publish\",\"room\":\"game." + game + "\",\"type\":\"move\",\"payload\":{\"move\":\""
                    + move + "\"},\"correlationId\":\"" + correlationId + "\"}");
            await("\"correlationId\":\"" + correlationId + "\"");
        }

        /** The next frame containing {@code text}; event frames seen meanwhile are kept. */
        String await(String text) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                String f = frames.poll(100, TimeUnit.MILLISECONDS);
                if (f == null) {
                    continue;
                }
                keepEvent(f);
                if (f.contains(text)) {
                    return f;
                }
            }
            throw new AssertionError("no frame with " + text);
        }

        private void keepEvent(String frame) {
            JsonNode n = Json.parse(frame);
            if ("event".equals(n.path("op").asText())) {
                events.add(n.get("event"));
            }
        }

        /** The event with this seq, waiting for it if needed. */
        JsonNode event(long seq) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (JsonNode e : events) {
                    if (e.get("seq").asLong() == seq) {
                        return e;
                    }
                }
                String f = frames.poll(100, TimeUnit.MILLISECONDS);
                if (f != null) {
                    keepEvent(f);
                }
            }
            throw new AssertionError("no event with seq " + seq + "; got " + events);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }
}
