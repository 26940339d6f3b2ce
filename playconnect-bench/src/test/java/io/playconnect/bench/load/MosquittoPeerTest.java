package io.playconnect.bench.load;

import io.playconnect.testkit.Prerequisites;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The anonymous MQTT driver against a real mosquitto on a free port (Debian's {@code mosquitto};
 * the test fails under CI=true without it and skips elsewhere), configured as the benchmark script
 * configures it: every subscriber gets every message, numbered by the publisher.
 */
class MosquittoPeerTest {
    private static Process mosquitto;
    private static MqttDriver driver;
    private static Path dir;

    @BeforeAll
    static void start() throws IOException {
        Prerequisites.requireOnPath("mosquitto");
        dir = Files.createTempDirectory("mosquitto-peer");
        int port = freePort();
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n");
        mosquitto = new ProcessBuilder("mosquitto", "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        await().atMost(Duration.ofSeconds(20)).until(() -> answers(port));
        driver = new MqttDriver(new MqttDriver.Config("127.0.0.1", port, null, 0, 1, false, "mqtt", false), 2);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (driver != null) {
            driver.close();
        }
        if (mosquitto != null) {
            mosquitto.destroy();
            mosquitto.waitFor();
        }
    }

    @Test
    void burstReachesEverySubscriberInPublishOrder() throws InterruptedException {
        LoadOptions options = LoadOptions.newBuilder().subscribers(10).messages(15).sourceAddresses(2).maxPending(4)
                .stepTimeout(Duration.ofSeconds(20)).build();

        WorkloadResult r = new BurstFanout().run(LoadContext.unprobed(driver, options,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));

        assertThat(r.number("deliveries")).as("%s", r.figures()).isEqualTo(10 * 15);
        assertThat(r.number("gaps")).isZero();
        assertThat(r.number("duplicates")).isZero();
        assertThat(r.number("publish_failures")).isZero();
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
