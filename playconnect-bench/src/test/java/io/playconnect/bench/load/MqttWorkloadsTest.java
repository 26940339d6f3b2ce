package io.playconnect.bench.load;

import io.netty.buffer.Unpooled;
import io.playconnect.edge.limits.EdgeLimits;
import io.playconnect.server.JwtMinter;
import io.playconnect.server.ListenPort;
import io.playconnect.server.Listener;
import io.playconnect.server.PlayConnectServer;
import io.playconnect.server.RunningServer;
import io.playconnect.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The MQTT driver at tiny scale against the real server (in this process, real sockets): burst
 * fan-out over MQTT, idle connections with one subscription, MQTT publishers to WebSocket
 * subscribers; and what the driver does with a refused CONNECT, a refused SUBSCRIBE and payloads
 * it cannot read. No timing is asserted: this machine is shared.
 */
class MqttWorkloadsTest {
    private static final String SECRET = "mqtt-load-test-secret-0123456789abcdef";
    private static RunningServer server;
    private static MqttDriver mqtt;
    private static WebSocketDriver ws;
    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

    @BeforeAll
    static void start() {
        EdgeLimits limits = EdgeLimits.defaults().toBuilder().maxConnectionsPerIp(1_000).connectionsPerSecondPerIp(1_000)
                .messagesPerSecond(10_000).messageBurst(10_000).build();
        server = PlayConnectServer.start(ServerConfig.newBuilder().tokenSecret(SECRET).httpPort(ListenPort.explicit(0))
                .mqttPort(ListenPort.explicit(0)).grpcPort(ListenPort.explicit(0)).edgeLimits(limits).build());
        URI mqttUrl = listener("mqtt");
        JwtMinter minter = new JwtMinter(SECRET);
        Map<String, List<String>> grants = Map.of("chat.*", List.of("subscribe", "publish"));
        mqtt = new MqttDriver(new MqttDriver.Config(mqttUrl.getHost(), mqttUrl.getPort(),
                spec -> minter.mint(spec.user(), grants, Duration.ofMinutes(10)), 0, 1, true, "playconnect-mqtt", true), 2);
        ws = new WebSocketDriver(listener("ws"), spec -> minter.mint(spec.user(), grants, Duration.ofMinutes(10)), 1);
    }

    private static URI listener(String name) {
        return server.listeners().stream().filter(l -> l.name().equals(name)).map(Listener::url).map(URI::create)
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " listener: " + server.listeners()));
    }

    @AfterAll
    static void stop() {
        if (mqtt != null) {
            mqtt.close();
            ws.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private LoadOptions.Builder small() {
        return LoadOptions.newBuilder().subscribers(6).messages(25).connections(30).idleRooms(1)
                .settle(Duration.ZERO).sourceAddresses(3).maxPending(4).stepTimeout(Duration.ofSeconds(20));
    }

    private PrintStream progress() {
        return new PrintStream(progress, true, StandardCharsets.UTF_8);
    }

    @Test
    void burstOverMqttDeliversEveryMessageToEverySubscriberOnceInOrder() throws InterruptedException {
        WorkloadResult r = new BurstFanout().run(LoadContext.unprobed(mqtt, small().build(), progress()));

        assertThat(r.number("subscribers_open")).as("%s", r.figures()).isEqualTo(6);
        assertThat(r.number("deliveries")).as("%s", r.figures()).isEqualTo(6 * 25);
        assertThat(r.number("missing")).isZero();
        assertThat(r.number("gaps")).isZero();
        assertThat(r.number("duplicates")).isZero();
        assertThat(r.number("publish_failures")).isZero();
        assertThat(r.latency().getTotalCount()).isEqualTo(6 * 25);
    }

    @Test
    void idleOpensEveryConnectionWithOneSubscriptionAndChecksTheMqttTarget() throws InterruptedException {
        WorkloadResult r = new IdleDensity().run(LoadContext.unprobed(mqtt, small().build(), progress()));

        assertThat(r.number("connections_open")).as("%s", r.figures()).isEqualTo(30);
        assertThat(r.number("rooms_per_connection")).isEqualTo(1);
        assertThat(r.number("still_open_after_settle")).isEqualTo(30);
    }

    @Test
    void mqttQos1PublishersReachWebSocketSubscribersWithNothingLost() throws InterruptedException {
        LoadOptions o = small().crossRate(200).crossPublishers(3).crossSubscribers(2)
                .warmup(Duration.ofMillis(250)).duration(Duration.ofMillis(750)).build();

        WorkloadResult r = new CrossProtocol().run(LoadContext.unprobed(mqtt, ws, o, progress()));

        assertThat(r.number("messages")).as("%s", r.figures()).isEqualTo(150);
        assertThat(r.number("acknowledged")).as("%s", r.figures()).isEqualTo(150);
        assertThat(r.number("deliveries")).isEqualTo(2 * 150);
        assertThat(r.number("lost")).isZero();
        assertThat(r.number("gaps")).isZero();
        assertThat(r.number("duplicates")).isZero();
        assertThat(r.number("refused_on_error_topic")).isZero();
        assertThat(r.checks()).extracting(WorkloadResult.Check::name).contains("p99 latency", "lost deliveries");
    }

    @Test
    void aWrongPasswordFailsTheConnectWithTheConnAckCode() {
        URI url = listener("mqtt");
        try (MqttDriver bad = new MqttDriver(new MqttDriver.Config(url.getHost(), url.getPort(), spec -> "not-a-jwt",
                0, 1, true, "bad", true), 1)) {
            ClientSpec spec = new ClientSpec(0, "intruder", InetAddress.getLoopbackAddress(), List.of("chat.x"));

            assertThatThrownBy(() -> bad.connect(spec, new ClientListener() { }).get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasMessageContaining("CONNACK refused");
        }
    }

    @Test
    void aRefusedSubscriptionFailsTheConnectAndNamesTheFilter() {
        // A wildcard in the room position is refused by the gateway (SUBACK 0x80 under MQTT 3.1.1).
        ClientSpec spec = new ClientSpec(0, "wild", InetAddress.getLoopbackAddress(), List.of("chat.+"));

        assertThatThrownBy(() -> mqtt.connect(spec, new ClientListener() { }).get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("SUBACK refused chat/+/message");
    }

    @Test
    void aPublisherHearsOfItsRefusedCommandsOnTheErrorTopic() throws Exception {
        java.util.concurrent.CompletableFuture<String> error = new java.util.concurrent.CompletableFuture<>();
        ClientSpec spec = new ClientSpec(0, "pub", InetAddress.getLoopbackAddress(), List.of());
        ClientConnection c = mqtt.connect(spec, new ClientListener() {
            @Override
            public void onError(int client, String code, String message) {
                error.complete(code);
            }
        }).get(20, TimeUnit.SECONDS);
        try {
            // Not a chat message (no text): MQTT 3.1.1 still gets its PUBACK, the refusal goes to the error topic.
            c.publish("chat.refused", "{\"t\":1}".getBytes(StandardCharsets.US_ASCII)).get(20, TimeUnit.SECONDS);

            assertThat(error.get(20, TimeUnit.SECONDS)).isEqualTo("bad_payload");
        } finally {
            c.drop().get(20, TimeUnit.SECONDS);
        }
        assertThat(c.isOpen()).isFalse();
    }

    @Test
    void topicsAndPayloadsAreReadWithoutTrustingThem() {
        assertThat(MqttDriver.topic("chat.lobby")).isEqualTo("chat/lobby/message");
        assertThatThrownBy(() -> MqttDriver.topic("nodot")).hasMessageContaining("room");
        assertThatThrownBy(() -> MqttDriver.topic("chat.")).hasMessageContaining("room");

        String envelope = "{\"v\":1,\"id\":\"e\",\"type\":\"chat.message\",\"room\":\"chat.x\",\"seq\":42,"
                + "\"payload\":{\"t\":123456,\"n\":7,\"text\":\"x\"}}";
        assertThat(MqttDriver.positionAndSent(buf(envelope))).containsExactly(42, 123456);
        assertThat(MqttDriver.positionAndSent(buf("{\"t\":99,\"n\":5,\"text\":\"x\"}"))).containsExactly(5, 99);
        assertThat(MqttDriver.positionAndSent(buf("not json at all"))).containsExactly(-1, -1);
        assertThat(MqttDriver.positionAndSent(buf("{\"v\":1,\"seq\":"))).containsExactly(-1, -1);
    }

    @Test
    void configRefusesWhatTheDriverCannotDo() {
        assertThatThrownBy(() -> new MqttDriver.Config("h", 0, null, 0, 1, false, "x", false)).hasMessageContaining("port");
        assertThatThrownBy(() -> new MqttDriver.Config("h", 1, null, 2, 1, false, "x", false))
                .hasMessageContaining("subscribeQos");
        assertThatThrownBy(() -> new MqttDriver.Config("h", 1, null, 0, 2, false, "x", false))
                .hasMessageContaining("publishQos");
        assertThatThrownBy(() -> LoadOptions.newBuilder().idleRooms(65)).hasMessageContaining("idleRooms");
        assertThatThrownBy(() -> LoadOptions.newBuilder().crossRate(0)).hasMessageContaining("crossRate");
        assertThatThrownBy(() -> LoadOptions.newBuilder().crossPublishers(0)).hasMessageContaining("crossPublishers");
        assertThatThrownBy(() -> Workload.named("crosss")).hasMessageContaining("cross");
        // A cross run that measured no delivery has no p99; the table says so instead of printing 0.
        assertThat(Results.number(Double.NaN)).isEqualTo("none");
    }

    private static io.netty.buffer.ByteBuf buf(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }
}
