package io.playconnect.bench.load;

import io.playconnect.server.JwtMinter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The surge workload at tiny scale against an in-process server on real sockets: every step is
 * published on schedule and every acknowledged message reaches every subscriber of its room, in
 * order. No timing is asserted (the machine is shared); bad settings are refused up front.
 */
class SurgeWorkloadTest {
    private static final String SECRET = "surge-test-secret-0123456789abcdef0123";
    private static BenchServer server;
    private static WebSocketDriver driver;

    @BeforeAll
    static void start() {
        server = BenchServer.start("127.0.0.1", 0, SECRET);
        JwtMinter minter = new JwtMinter(SECRET);
        Map<String, List<String>> grants = Map.of("chat.*", List.of("subscribe", "publish"));
        driver = new WebSocketDriver(server.wsUri(), spec -> minter.mint(spec.user(), grants, Duration.ofMinutes(10)), 2);
    }

    @AfterAll
    static void stop() {
        driver.close();
        server.close();
    }

    private static SurgeFanout.Settings settings(int subscribers, int rooms, int base, int peak, int publishers) {
        return new SurgeFanout.Settings(subscribers, rooms, base, peak, Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(1), publishers, 100);
    }

    @Test
    void everyAcknowledgedMessageReachesEverySubscriberOfItsRoomAcrossTheSteps() throws InterruptedException {
        LoadOptions options = LoadOptions.newBuilder().sourceAddresses(3).maxPending(8).warmup(Duration.ofSeconds(1))
                .settle(Duration.ZERO).stepTimeout(Duration.ofSeconds(30)).build();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        LoadContext ctx = LoadContext.unprobed(driver, options, new PrintStream(progress, true, StandardCharsets.UTF_8));

        WorkloadResult r = new SurgeFanout(settings(20, 4, 8, 40, 2)).run(ctx);

        // warm-up 8 + before 8 + surge 80 + after 8 messages, spread over 4 rooms of 5 subscribers.
        assertThat(r.number("published")).as("%s", r.figures()).isEqualTo(104);
        assertThat(r.number("acknowledged")).isEqualTo(104);
        assertThat(r.number("deliveries_expected")).isEqualTo(104 * 5);
        assertThat(r.number("deliveries")).isEqualTo(104 * 5);
        assertThat(r.number("missing")).isZero();
        assertThat(r.number("gaps")).isZero();
        assertThat(r.number("duplicates")).isZero();
        assertThat(r.number("surge_deliveries") + r.number("before_deliveries") + r.number("after_deliveries"))
                .isPositive();
        assertThat(r.attachments().get("timeline")).contains("surge").contains("before").contains("after");
        // Without a server process to probe, the resource figures say "unknown" instead of inventing one.
        assertThat(r.number("fds_connected")).isEqualTo(-1);
        assertThat(r.number("heap_kb_after_surge")).isEqualTo(-1);
    }

    @Test
    void impossibleSettingsAreRefusedBeforeAnythingConnects() {
        assertThatThrownBy(() -> settings(10, 0, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rooms");
        assertThatThrownBy(() -> settings(5, 10, 1, 1, 1)).hasMessageContaining("subscribers >= rooms");
        assertThatThrownBy(() -> settings(10, 2, 100, 10, 1)).hasMessageContaining("base rate <= peak rate");
        assertThatThrownBy(() -> settings(10, 2, 0, 10, 1)).hasMessageContaining("base rate");
        assertThatThrownBy(() -> settings(10, 2, 1, 10, 3)).hasMessageContaining("publishers");
    }
}
