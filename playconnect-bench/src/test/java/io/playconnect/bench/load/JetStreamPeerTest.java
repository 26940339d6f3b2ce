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
 * The command benchmark's peer against a real nats-server with JetStream in a temporary store
 * directory (skipped where nats-server is not installed): every stored publish reaches every
 * subscriber of its room through the stream's RePublish, in order.
 */
class JetStreamPeerTest {
    private static final Path NATS = Path.of("/usr/sbin/nats-server");
    private static Process nats;
    private static JetStreamDriver driver;

    @BeforeAll
    static void start() throws IOException {
        if (!Files.isExecutable(NATS)) {
            return;
        }
        Path dir = Files.createTempDirectory("js-peer");
        int port = freePort();
        nats = new ProcessBuilder(NATS.toString(), "-a", "127.0.0.1", "-p", Integer.toString(port), "-js", "-sd",
                dir.resolve("store").toString()).redirectErrorStream(true).redirectOutput(dir.resolve("nats.log").toFile())
                .start();
        await().atMost(Duration.ofSeconds(20)).until(() -> answers(port));
        driver = new JetStreamDriver(URI.create("nats://127.0.0.1:" + port), 2);
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

    @Test
    void everyStoredPublishReachesEverySubscriberOfItsRoomInOrder() throws InterruptedException {
        assumeThat(driver).as("nats-server at " + NATS).isNotNull();
        LoadOptions options = LoadOptions.newBuilder().sourceAddresses(2).maxPending(4).duration(Duration.ofSeconds(1))
                .warmup(Duration.ZERO).stepTimeout(Duration.ofSeconds(20)).build();
        LoadContext ctx = LoadContext.unprobed(driver, options,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        WorkloadResult r = new CommandRate(new CommandRate.Settings(200, 8, 2, 3, 10)).run(ctx);

        assertThat(r.number("acked")).as("%s", r.figures()).isEqualTo(200);
        assertThat(r.number("deliveries")).isEqualTo(200 * 3);
        assertThat(r.number("gaps")).isZero();
        assertThat(r.number("duplicates")).isZero();
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
