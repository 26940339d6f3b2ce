package io.playconnect.server.deploy;

import io.playconnect.server.ListenPort;
import io.playconnect.server.PlayConnectServer;
import io.playconnect.server.RunningServer;
import io.playconnect.server.ServerConfig;
import io.playconnect.testkit.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code playconnect_broker_connected}, which PlayConnectBrokerDisconnected alerts on, follows a
 * real NATS server going away and coming back. The test runs its own nats-server (JetStream, a
 * free port, its own store) so that stopping it disturbs nobody else.
 */
class BrokerConnectedGaugeTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path store;

    @Test
    void theGaugeFollowsTheNatsConnection() throws Exception {
        Prerequisites.requireOnPath("nats-server");
        int port = freePort();
        Process nats = startNats(port);
        try {
            RunningServer server = PlayConnectServer.start(ServerConfig.newBuilder().httpPort(0)
                    .mqttPort(ListenPort.explicit(0)).grpcPort(ListenPort.explicit(0))
                    .tokenSecret("broker-gauge-test-secret-0123456789abcdef")
                    .broker("nats://127.0.0.1:" + port).tenant("gauge" + port).partitions(2)
                    .leaseTtl(Duration.ofSeconds(2)).build());
            try {
                assertThat(gauge(server)).isEqualTo("1.0");
                stop(nats);
                await().atMost(WAIT).until(() -> "0.0".equals(gauge(server)));
                nats = startNats(port);
                await().atMost(WAIT).until(() -> "1.0".equals(gauge(server)));
            } finally {
                server.close();
            }
        } finally {
            stop(nats);
        }
    }

    private static String gauge(RunningServer server) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.httpUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return body.lines().filter(l -> l.startsWith("playconnect_broker_connected{broker=\"nats\"}"))
                .map(l -> l.substring(l.lastIndexOf(' ') + 1)).findFirst().orElse("absent");
    }

    private Process startNats(int port) throws Exception {
        Process p = new ProcessBuilder("nats-server", "-a", "127.0.0.1", "-p", Integer.toString(port), "-js",
                "-sd", store.toString()).redirectErrorStream(true)
                .redirectOutput(store.resolve("nats-" + System.nanoTime() + ".log").toFile()).start();
        await().atMost(WAIT).until(() -> accepts(port));
        return p;
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
