package io.playconnect.server.scaleout;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.playconnect.server.JwtMinter;
import org.junit.jupiter.api.AfterAll;
import io.playconnect.testkit.Prerequisites;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two engine processes and two gateway processes on the machine's NATS (JetStream) and Redis: one
 * order for clients on different gateways, presence across gateways, resume through the other
 * gateway. Needs NATS on 4222 and Redis on 6379; under CI=true their absence is a failure.
 */
class ScaleOutProcessTest {
    private static final String SECRET = "scale-out-test-secret-of-at-least-32-bytes";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String TENANT = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    @TempDir
    static Path logs;
    private static final List<ServerProcess> processes = new ArrayList<>();
    private static ServerProcess gateway1;
    private static ServerProcess gateway2;

    @BeforeAll
    static void startCluster() throws Exception {
        Prerequisites.requireListening("NATS", 4222);
        Prerequisites.requireListening("Redis", 6379);
        for (String name : List.of("engine1", "engine2")) {
            processes.add(ServerProcess.start(name, logs, common("engine")));
        }
        gateway1 = ServerProcess.start("gateway1", logs, gatewayArgs());
        gateway2 = ServerProcess.start("gateway2", logs, gatewayArgs());
        processes.add(gateway1);
        processes.add(gateway2);
    }

    private static String[] common(String role) {
        return new String[]{"--roles", role, "--broker", "nats://127.0.0.1:4222", "--store", "redis://127.0.0.1:6379",
                "--tenant", TENANT, "--partitions", "4", "--http-port", "0", "--token-secret", SECRET};
    }


    /** A gateway's arguments: MQTT on a free port (never 1883, where the machine's mosquitto may listen). */
    private static String[] gatewayArgs() {
        List<String> args = new ArrayList<>(List.of(common("gateway")));
        args.addAll(List.of("--mqtt-port", "0"));
        return args.toArray(String[]::new);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (ServerProcess p : processes) {
            p.close();
        }
        try (Connection nc = Nats.connect("nats://127.0.0.1:4222")) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            for (String stream : jsm.getStreamNames()) {
                if (stream.contains(TENANT)) {
                    jsm.deleteStream(stream);
                }
            }
        } catch (Exception e) {
            // Reachability was checked before: a failure here only leaves a stream behind.
        }
    }

    private static String token(String user) {
        return new JwtMinter(SECRET).mint(user, Map.of("chat.*", List.of("subscribe", "publish", "presence")),
                Duration.ofMinutes(10));
    }

    private static WsClient join(ServerProcess gateway, String user, String room) throws Exception {
        WsClient c = WsClient.connect(gateway.listener("ws"), token(user));
        c.send("{\"op\":\"join\",\"room\":\"" + room + "\"}");
        c.await(WsClient.op("joined"), WAIT);
        return c;
    }

    @Test
    void clientsOnTwoGatewaysSeeOneOrderAndEachOthersPresence() throws Exception {
        String room = "chat.scale" + UUID.randomUUID().toString().substring(0, 8);
        try (WsClient alice = join(gateway1, "alice", room); WsClient bob = join(gateway2, "bob", room)) {
            for (int i = 0; i < 10; i++) {
                alice.send(publish(room, "a" + i, "alice-" + i));
                bob.send(publish(room, "b" + i, "bob-" + i));
            }
            List<String> aliceSaw = texts(alice, 20);
            List<String> bobSaw = texts(bob, 20);
            assertThat(aliceSaw).hasSize(20).isEqualTo(bobSaw);
            assertThat(aliceSaw).filteredOn(t -> t.startsWith("alice-")).containsExactly(
                    "alice-0", "alice-1", "alice-2", "alice-3", "alice-4", "alice-5", "alice-6", "alice-7", "alice-8", "alice-9");

            alice.send("{\"op\":\"presence\",\"room\":\"" + room + "\"}");
            JsonNode members = alice.await(n -> WsClient.op("presence").test(n) && n.has("members"), WAIT);
            assertThat(members.get("members").findValuesAsText("user")).contains("alice", "bob");
            assertThat(members.get("members").findValuesAsText("protocol")).containsOnly("websocket");
        }
    }

    @Test
    void aClientResumesThroughTheOtherGatewayWithNothingMissed() throws Exception {
        String room = "chat.resume" + UUID.randomUUID().toString().substring(0, 8);
        String epoch;
        long seen;
        try (WsClient carol = join(gateway1, "carol", room)) {
            for (int i = 0; i < 5; i++) {
                carol.send(publish(room, "c" + i, "before-" + i));
            }
            JsonNode last = lastEvent(carol, 5);
            epoch = last.get("epoch").asText();
            seen = last.get("seq").asLong();
        }
        try (WsClient dave = join(gateway2, "dave", room)) {
            for (int i = 0; i < 5; i++) {
                dave.send(publish(room, "d" + i, "missed-" + i));
            }
            lastEvent(dave, 5);
        }
        try (WsClient carol = WsClient.connect(gateway2.listener("ws"), token("carol"))) {
            carol.send("{\"op\":\"join\",\"room\":\"" + room + "\",\"since\":" + seen + ",\"epoch\":\"" + epoch + "\"}");
            JsonNode joined = carol.await(WsClient.op("joined"), WAIT);
            assertThat(joined.get("recovered").asBoolean()).isTrue();
            assertThat(texts(carol, 5)).containsExactly("missed-0", "missed-1", "missed-2", "missed-3", "missed-4");
        }
    }

    @Test
    void anMqttPersistentSessionResumesThroughTheOtherGatewayWithNothingMissed() throws Exception {
        String id = "resume" + UUID.randomUUID().toString().substring(0, 8);
        String room = "chat." + id;
        String filter = "chat/" + id + "/#";
        MqttDevice device = MqttDevice.connect(gateway1.listener("mqtt"), "device-" + id, token("erin"), false);
        device.client.subscribe(filter, 1);
        assertThat(device.next().topic()).isEqualTo("chat/" + id + "/state");
        try (WsClient dave = join(gateway2, "dave", room)) {
            dave.send(publish(room, "d0", "seen"));
            assertThat(device.next().payload().get("payload").get("text").asText()).isEqualTo("seen");
            device.close();
            for (int i = 0; i < 5; i++) {
                dave.send(publish(room, "m" + i, "missed-" + i));
            }
            lastEvent(dave, 6);
        }
        MqttDevice back = MqttDevice.connect(gateway2.listener("mqtt"), "device-" + id, token("erin"), true);
        long previous = 1;
        MqttDevice.Received first = back.next();
        if (first.dup() && first.payload().get("seq").asLong() == 1) {
            // QoS 1 is at least once: "seen" again, with DUP, when its PUBACK raced the disconnect.
            first = null;
        }
        for (int i = 0; i < 5; i++) {
            MqttDevice.Received r = first != null ? first : back.next();
            first = null;
            // Recovered: no state message (that would say "recovered": false), the missed events in order.
            assertThat(r.topic()).isEqualTo("chat/" + id + "/message");
            assertThat(r.payload().get("seq").asLong()).isEqualTo(previous + 1);
            assertThat(r.payload().get("payload").get("text").asText()).isEqualTo("missed-" + i);
            previous++;
        }
        back.close();
    }

    private static String publish(String room, String correlationId, String text) {
        return "{\"op\":\"publish\",\"room\":\"" + room + "\",\"type\":\"message\",\"correlationId\":\"" + correlationId
                + "\",\"payload\":{\"text\":\"" + text + "\"}}";
    }

    /** The texts of the next {@code n} events, checking their seqs are consecutive. */
    private static List<String> texts(WsClient c, int n) throws Exception {
        List<String> texts = new ArrayList<>();
        long previous = -1;
        for (int i = 0; i < n; i++) {
            JsonNode event = c.await(WsClient.op("event"), WAIT).get("event");
            long seq = event.get("seq").asLong();
            if (previous >= 0) {
                assertThat(seq).as("seq after %d", previous).isEqualTo(previous + 1);
            }
            previous = seq;
            texts.add(event.get("payload").get("text").asText());
        }
        return texts;
    }

    private static JsonNode lastEvent(WsClient c, int n) throws Exception {
        JsonNode last = null;
        for (int i = 0; i < n; i++) {
            last = c.await(WsClient.op("event"), WAIT).get("event");
        }
        return last;
    }

}
