package io.playconnect.bench.load;

import io.playconnect.edge.limits.EdgeLimits;
import io.playconnect.server.JwtMinter;
import io.playconnect.server.Listener;
import io.playconnect.server.ListenPort;
import io.playconnect.server.PlayConnectServer;
import io.playconnect.server.RunningServer;
import io.playconnect.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The gRPC driver at tiny scale against the real server (in this process, real sockets): every
 * unary request answered and every Connect-stream subscriber given every message. No timing is
 * asserted: this machine is shared.
 */
class GrpcWorkloadsTest {
    private static final String SECRET = "grpc-load-test-secret-0123456789abcdef";
    private static RunningServer server;
    private static GrpcDriver driver;
    private static GrpcDriver noServiceToken;
    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

    @BeforeAll
    static void start() {
        EdgeLimits limits = EdgeLimits.defaults().toBuilder().maxConnectionsPerIp(1_000).connectionsPerSecondPerIp(1_000)
                .messagesPerSecond(10_000).messageBurst(10_000).build();
        server = PlayConnectServer.start(ServerConfig.newBuilder().tokenSecret(SECRET).httpPort(ListenPort.explicit(0))
                .mqttPort(ListenPort.explicit(0)).grpcPort(ListenPort.explicit(0)).edgeLimits(limits).build());
        URI grpc = server.listeners().stream().filter(l -> l.name().equals("grpc")).map(Listener::url)
                .map(URI::create).findFirst().orElseThrow(() -> new AssertionError("no grpc listener: " + server.listeners()));
        JwtMinter minter = new JwtMinter(SECRET);
        Map<String, List<String>> grants = Map.of("chat.*", List.of("subscribe", "publish"));
        String service = minter.mint("bench-service", Map.of("chat.*", List.of("publish")), Duration.ofMinutes(10));
        driver = new GrpcDriver(GrpcDriver.address(grpc), spec -> minter.mint(spec.user(), grants, Duration.ofMinutes(10)),
                service, 2, 2);
        noServiceToken = new GrpcDriver(GrpcDriver.address(grpc), spec -> "unused", null, 1, 1);
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.close();
            noServiceToken.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private LoadContext context(GrpcDriver d) {
        LoadOptions options = LoadOptions.newBuilder().subscribers(6).messages(25).unaryRate(400).unaryRooms(7)
                .warmup(Duration.ofMillis(250)).duration(Duration.ofMillis(750)).sourceAddresses(3).maxPending(4)
                .stepTimeout(Duration.ofSeconds(20)).build();
        return LoadContext.unprobed(d, options, new PrintStream(progress, true, StandardCharsets.UTF_8));
    }

    @Test
    void unaryPublishAnswersEveryRequestOfTheMeasuredPhase() throws InterruptedException {
        WorkloadResult r = new UnaryPublishRate().run(context(driver));

        assertThat(r.number("requests")).as("%s", r.figures()).isEqualTo(300);
        assertThat(r.number("ok")).as("%s", r.figures()).isEqualTo(300);
        assertThat(r.number("errors")).isZero();
        assertThat(r.number("unanswered")).isZero();
        assertThat(r.latency().getTotalCount()).isEqualTo(300);
        assertThat(r.checks()).extracting(WorkloadResult.Check::name).contains("p99 latency");
    }

    @Test
    void connectStreamBurstDeliversEveryMessageToEverySubscriberOnceInOrder() throws InterruptedException {
        WorkloadResult r = new BurstFanout().run(context(driver));

        assertThat(r.number("subscribers_open")).as("%s", r.figures()).isEqualTo(6);
        assertThat(r.number("deliveries")).as("%s", r.figures()).isEqualTo(6 * 25);
        assertThat(r.number("missing")).isZero();
        assertThat(r.number("gaps")).isZero();
        assertThat(r.number("duplicates")).isZero();
        assertThat(r.number("publish_failures")).isZero();
        assertThat(r.latency().getTotalCount()).isEqualTo(6 * 25);
    }

    @Test
    void aStreamClientIsOpenUntilDroppedAndThenReportsTheClose() throws Exception {
        ClientSpec spec = new ClientSpec(0, "dropper", java.net.InetAddress.getLoopbackAddress(), List.of("chat.drop"));
        java.util.concurrent.CompletableFuture<Integer> closedWith = new java.util.concurrent.CompletableFuture<>();
        ClientConnection c = driver.connect(spec, new ClientListener() {
            @Override
            public void onClosed(int client, int code, String reason) {
                closedWith.complete(code);
            }
        }).get(20, TimeUnit.SECONDS);
        assertThat(c.isOpen()).isTrue();

        c.drop().get(20, TimeUnit.SECONDS);

        assertThat(c.isOpen()).isFalse();
        assertThat(closedWith.get(20, TimeUnit.SECONDS)).isNotZero();
    }

    @Test
    void unaryWorkloadRefusesADriverWithoutUnaryCallsAndUnaryCallsNeedAServiceToken() {
        LoadContext ws = LoadContext.unprobed(new NatsWebSocketDriver(URI.create("ws://127.0.0.1:1"), 1),
                LoadOptions.newBuilder().build(), new PrintStream(progress, true, StandardCharsets.UTF_8));
        try {
            assertThatThrownBy(() -> new UnaryPublishRate().run(ws)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--driver grpc");
        } finally {
            ws.driver().close();
        }
        assertThatThrownBy(() -> noServiceToken.publishUnary("chat.x", new byte[] {'{', '}'}, "c1"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("service token");
    }

    @Test
    void optionsValidateTheUnaryRateAndRooms() {
        assertThatThrownBy(() -> LoadOptions.newBuilder().unaryRate(0)).hasMessageContaining("unaryRate");
        assertThatThrownBy(() -> LoadOptions.newBuilder().unaryRate(2_000_000)).hasMessageContaining("unaryRate");
        assertThatThrownBy(() -> LoadOptions.newBuilder().unaryRooms(0)).hasMessageContaining("unaryRooms");
        assertThatThrownBy(() -> GrpcDriver.address(URI.create("grpc:nohost"))).hasMessageContaining("url");
        LoadOptions o = LoadOptions.newBuilder().unaryRate(123).unaryRooms(9).build().toBuilder().build();
        assertThat(o.unaryRate()).isEqualTo(123);
        assertThat(o.unaryRooms()).isEqualTo(9);
    }
}
