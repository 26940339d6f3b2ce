package io.playconnect.server;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.playconnect.broker.memory.InMemoryBroker;
import io.playconnect.core.Command;
import io.playconnect.core.CommandResult;
import io.playconnect.core.CommandSender;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.Origin;
import io.playconnect.core.Partitioner;
import io.playconnect.core.RoomId;
import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.RoomLogConfig;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlayConnectServerTest {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static ServerConfig.Builder config() {
        return ServerConfig.newBuilder().httpPort(0).tokenSecret(PlayConnectCommandTest.SECRET);
    }

    private HttpResponse<String> get(RunningServer server, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(server.httpUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static CommandResult send(RunningServer server, String room, String type, String payload) {
        CommandSender sender = new CommandSender(server.broker(), new Partitioner(server.config().partitions()));
        Command command = new Command(RoomId.parse(room), type, payload.getBytes(StandardCharsets.UTF_8),
                "c-" + System.nanoTime(), new Origin("test", "alice"), null);
        return sender.send(command, Duration.ofSeconds(5)).join();
    }

    @Test
    void answersHealthReadinessAndMetricsWithEngineMeters() throws Exception {
        try (RunningServer server = PlayConnectServer.start(config().build())) {
            assertThat(send(server, "chat.lobby", "chat.message", "{\"text\":\"hi\"}"))
                    .isInstanceOf(CommandResult.Accepted.class);
            CommandResult rejected = send(server, "nope.1", "nope.x", "{}");
            assertThat(rejected).isEqualTo(CommandResult.rejected(ErrorCode.UNKNOWN_KIND,
                    ((CommandResult.Rejected) rejected).message()));

            HttpResponse<String> health = get(server, "/healthz");
            HttpResponse<String> ready = get(server, "/readyz");
            HttpResponse<String> metrics = get(server, "/metrics");

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"up\"}");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("{\"status\":\"ready\"}");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("content-type")).hasValue(OpsEndpoints.PROMETHEUS_TEXT);
            assertThat(metrics.body()).contains(
                    "playconnect_engine_commands_total{kind=\"chat\",result=\"accepted\"} 1",
                    "playconnect_engine_commands_total{kind=\"other\",result=\"unknown_kind\"} 1",
                    "playconnect_engine_rejections_total{code=\"unknown_kind\"} 1",
                    "playconnect_engine_command_latency_seconds_bucket{le=",
                    "playconnect_engine_command_latency_seconds_count 2",
                    "playconnect_engine_partition_queue_depth{partition=\"15\"} 0",
                    "playconnect_engine_rooms_loaded 1",
                    "playconnect_engine_partitions_owned 16",
                    "playconnect_server_draining 0",
                    "jvm_memory_used_bytes",
                    "process_uptime_seconds");
        }
    }

    @Test
    void readinessIs503WithTheReasonWhileDraining() throws Exception {
        try (RunningServer server = PlayConnectServer.start(config().build())) {
            assertThat(server.isReady()).isTrue();
            server.readiness.draining();

            HttpResponse<String> ready = get(server, "/readyz");
            HttpResponse<String> health = get(server, "/healthz");

            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).isEqualTo("{\"status\":\"not_ready\",\"reason\":\"draining\"}");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(server.isReady()).isFalse();
        }
    }

    @Test
    void closeDrainsAndFreesThePort() throws Exception {
        RunningServer server = PlayConnectServer.start(config().build());
        int port = server.httpPort();

        server.close();

        assertThat(server.terminated()).isCompletedWithValue(true);
        assertThat(server.isDraining()).isTrue();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(IOException.class);
        server.close();
    }

    @Test
    void takenDefaultPortIsReplacedWithAWarningAndTheLineSaysSo() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(Listeners.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             RunningServer server = PlayConnectServer.start(config().httpPort(ListenPort.preferred(taken.getLocalPort())).build())) {
            int asked = taken.getLocalPort();

            assertThat(server.httpPort()).isNotEqualTo(asked).isPositive();
            assertThat(server.listeners()).extracting(Listener::name).contains("http", "ws");
            assertThat(server.listeners().get(0).line()).isEqualTo("http  http://127.0.0.1:" + server.httpPort()
                    + "  (health, metrics; default port " + asked + " was in use)");
            assertThat(logs.list).anySatisfy(e -> {
                assertThat(e.getLevel().toString()).isEqualTo("WARN");
                assertThat(e.getFormattedMessage()).isEqualTo("default --http-port " + asked
                        + " is in use; listening on " + server.httpPort() + " instead");
            });
            assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
        } finally {
            logger.detachAppender(logs);
        }
    }

    @Test
    void takenExplicitPortFailsNamingTheOption() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            ServerConfig c = config().httpPort(taken.getLocalPort()).build();

            assertThatThrownBy(() -> PlayConnectServer.start(c))
                    .isInstanceOf(StartupException.class)
                    .hasMessage("--http-port " + taken.getLocalPort() + " is already in use");
        }
    }

    @Test
    void engineWithAnotherPartitionCountOnTheSameBrokerRefusesToStart() {
        Broker broker = InMemoryBroker.newBuilder().roomLogConfig(RoomLogConfig.defaults()).build();
        try (RunningServer first = PlayConnectServer.start(config().sharedBroker(broker).build())) {
            assertThat(first.broker()).isSameAs(broker);
            ServerConfig other = config().sharedBroker(broker).partitions(8).build();

            assertThatThrownBy(() -> PlayConnectServer.start(other))
                    .isInstanceOf(StartupException.class)
                    .hasMessageStartingWith("--partitions 8: partition count mismatch");
        } finally {
            broker.close();
        }
    }

    @Test
    void gatewayOnlyProcessOnASharedBrokerRunsWithoutAnEngine() throws Exception {
        Broker broker = InMemoryBroker.newBuilder().build();
        try (RunningServer engine = PlayConnectServer.start(config().sharedBroker(broker).build());
             RunningServer gateway = PlayConnectServer.start(config().sharedBroker(broker)
                     .roles(Set.of(Role.GATEWAY)).build())) {
            assertThat(gateway.engine()).isEmpty();
            assertThat(engine.engine()).isPresent();
            assertThat(get(gateway, "/readyz").statusCode()).isEqualTo(200);
            assertThat(send(gateway, "chat.a", "chat.message", "{\"text\":\"via shared broker\"}"))
                    .isInstanceOf(CommandResult.Accepted.class);
        } finally {
            broker.close();
        }
    }

    @Test
    void withoutASecretADevelopmentSecretIsMadeAndExposed() {
        try (RunningServer server = PlayConnectServer.start(ServerConfig.newBuilder().httpPort(0).build())) {
            assertThat(server.tokenSecret().getBytes(StandardCharsets.UTF_8)).hasSizeGreaterThanOrEqualTo(32);
            assertThat(new JwtMinter(server.tokenSecret()).mint("u", java.util.Map.of("*", JwtMinter.SCOPES),
                    Duration.ofMinutes(1))).isNotBlank();
        }
    }

    /** The WebSocket handshake's status line for {@code origin}, read from a raw socket. */
    private static String handshakeStatus(RunningServer server, String origin) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.httpPort())) {
            socket.setSoTimeout(10_000);
            String request = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Origin: " + origin + "\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Test
    void allowedOriginsReachTheWebSocketGateway() throws Exception {
        try (RunningServer server = PlayConnectServer.start(config()
                .allowedOrigins(java.util.List.of("https://game.example")).build())) {
            assertThat(handshakeStatus(server, "https://evil.example")).startsWith("HTTP/1.1 403");
            assertThat(handshakeStatus(server, "https://game.example")).startsWith("HTTP/1.1 101");
        }
    }
}
