package io.playconnect.edge.spi;

import io.playconnect.edge.EdgeHarness;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewaySpiTest {

    /** Stands for the shared HTTP server another module would hand over. */
    record FakeHttpServer(int port) {
    }

    /** A gateway registered in META-INF/services for this test. */
    public static final class EchoGateway implements ProtocolGateway {
        private volatile GatewayContext context;

        @Override
        public String protocol() {
            return "echo";
        }

        @Override
        public CompletableFuture<List<Listener>> start(GatewayContext ctx) {
            this.context = ctx;
            int port = ctx.settings().sharesHttpPort()
                    ? ctx.extension(FakeHttpServer.class).orElseThrow().port() : ctx.settings().port();
            return CompletableFuture.completedFuture(List.of(new Listener("echo", URI.create("echo://127.0.0.1:" + port))));
        }

        @Override
        public CompletableFuture<Void> drain() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {
            context = null;
        }
    }

    @Test
    void gatewaysAreFoundWithServiceLoaderAndStartedWithANarrowContext() {
        try (EdgeHarness h = EdgeHarness.newBuilder().engine(false).build()) {
            List<ProtocolGateway> found = ServiceLoader.load(ProtocolGateway.class).stream()
                    .map(ServiceLoader.Provider::get).toList();
            assertThat(found).extracting(ProtocolGateway::protocol).contains("echo");
            ProtocolGateway echo = found.stream().filter(g -> g.protocol().equals("echo")).findFirst().orElseThrow();

            GatewayContext ctx = GatewayContext.newBuilder().edge(h.edge)
                    .settings(GatewaySettings.newBuilder().options(Map.of("path", "/echo")).build())
                    .extension(FakeHttpServer.class, new FakeHttpServer(8080)).build();
            assertThat(echo.start(ctx).join()).containsExactly(new Listener("echo", URI.create("echo://127.0.0.1:8080")));
            assertThat(ctx.meterRegistry()).isSameAs(h.registry);
            assertThat(ctx.extension(String.class)).isEmpty();
            assertThat(ctx.settings().option("path", "/")).isEqualTo("/echo");
            assertThat(ctx.settings().option("other", "d")).isEqualTo("d");
            echo.drain().join();
            echo.close();
        }
    }

    @Test
    void settingsAreValidatedWithTheParameterName() {
        assertThatThrownBy(() -> GatewaySettings.newBuilder().port(70000)).hasMessageContaining("port");
        assertThatThrownBy(() -> GatewaySettings.newBuilder().host(" ")).hasMessageContaining("host");
        assertThatThrownBy(() -> GatewayContext.newBuilder().build()).hasMessageContaining("edge");
        GatewaySettings s = GatewaySettings.newBuilder().port(9001).allowedOrigins(List.of("https://a.example")).build();
        assertThat(s.sharesHttpPort()).isFalse();
        assertThat(s.toBuilder().build().toString()).isEqualTo(s.toString());
        assertThat(GatewaySettings.newBuilder().build().sharesHttpPort()).isTrue();
    }

    @Test
    void listenerLinesCanBeDialledFromThisMachine() throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 8080);
        assertThat(Listener.at("ws", "ws", any, "/ws").uri()).isEqualTo(URI.create("ws://127.0.0.1:8080/ws"));
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 1883);
        assertThat(Listener.at("mqtt", "mqtt", v6, "").uri()).isEqualTo(URI.create("mqtt://[0:0:0:0:0:0:0:1]:1883"));
        InetSocketAddress one = new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 8883);
        assertThat(Listener.at("mqtts", "mqtts", one, "")).isEqualTo(new Listener("mqtts", URI.create("mqtts://10.1.2.3:8883")));
        InetSocketAddress named = InetSocketAddress.createUnresolved("gw.example", 9000);
        assertThat(Listener.at("ws", "ws", named, "/ws").uri()).isEqualTo(URI.create("ws://gw.example:9000/ws"));
        assertThatThrownBy(() -> Listener.at("ws", "ws", null, "/ws")).hasMessageContaining("bound");
    }

    @Test
    void startOnceRunsTheStartOnlyOnceAndTurnsThrowsIntoFailedFutures() {
        AtomicInteger runs = new AtomicInteger();
        StartOnce once = new StartOnce("EchoGateway");
        assertThat(once.run(() -> CompletableFuture.completedFuture(runs.incrementAndGet()))).isCompletedWithValue(1);
        assertThat(once.run(() -> CompletableFuture.completedFuture(runs.incrementAndGet())))
                .failsWithin(Duration.ZERO).withThrowableThat()
                .withMessageContaining("EchoGateway can be started once");
        assertThat(runs).hasValue(1);

        IllegalArgumentException bad = new IllegalArgumentException("io-threads must be an integer: x");
        CompletableFuture<Object> failed = new StartOnce("Other").run(() -> {
            throw bad;
        });
        assertThat(failed).isCompletedExceptionally();
        assertThatThrownBy(failed::join).hasCause(bad);
    }
}
