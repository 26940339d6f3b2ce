package io.playconnect.bench.load;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The NATS-over-WebSocket driver against a real nats-server (skipped where it is not installed):
 * fan-out reaches every subscriber, and the storm shows what core NATS does not do (replay).
 */
class NatsPeerTest {
    private static final Path NATS = Path.of("/usr/sbin/nats-server");
    private static Process nats;
    private static NatsWebSocketDriver driver;
    private static Path dir;

    @BeforeAll
    static void start() throws IOException {
        if (!Files.isExecutable(NATS)) {
            return;
        }
        dir = Files.createTempDirectory("nats-peer");
        int clientPort = freePort();
        int wsPort = freePort();
        Path conf = dir.resolve("nats.conf");
        Files.writeString(conf, "listen: \"127.0.0.1:" + clientPort + "\"\n"
                + "websocket { listen: \"127.0.0.1:" + wsPort + "\", no_tls: true }\n");
        nats = new ProcessBuilder(NATS.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("nats.log").toFile()).start();
        await().atMost(Duration.ofSeconds(20)).until(() -> answers(wsPort));
        driver = new NatsWebSocketDriver(URI.create("ws://127.0.0.1:" + wsPort), 2);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (driver != null) {
            driver.close();
        }
        if (nats != null) {
            nats.destroy();
            nats.waitFor();
        }
    }

    private static LoadContext context() {
        LoadOptions options = LoadOptions.newBuilder().subscribers(10).messages(15).stormClients(12).stormEvents(2)
                .sourceAddresses(2).maxPending(4).stepTimeout(Duration.ofSeconds(20)).build();
        return LoadContext.unprobed(driver, options, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void burstReachesEverySubscriberInPublishOrder() throws InterruptedException {
        assumeThat(driver).as("nats-server at " + NATS).isNotNull();

        WorkloadResult r = new BurstFanout().run(context());

        assertThat(r.number("deliveries")).as("%s", r.figures()).isEqualTo(10 * 15);
        assertThat(r.number("gaps")).isZero();
        assertThat(r.number("duplicates")).isZero();
    }

    @Test
    void stormReconnectsEveryoneButCoreNatsDoesNotReplayWhatWasMissed() throws InterruptedException {
        assumeThat(driver).as("nats-server at " + NATS).isNotNull();

        WorkloadResult r = new ReconnectStorm().run(context());

        assertThat(r.number("reconnected")).as("%s", r.figures()).isEqualTo(12);
        assertThat(r.number("missed_events")).isEqualTo(12 * 2);
        assertThat(r.number("clients_behind_at_end")).isZero();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
