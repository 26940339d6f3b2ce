package io.playconnect.bench.load;

import io.playconnect.server.JwtMinter;
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
 * The runbook probe end to end at tiny scale against an in-process server, with no fault: every
 * publish is acknowledged, nobody misses an event or is left behind, and the timeline has a line
 * per second. No timing is asserted.
 */
class ProbeRunTest {
    private static final String SECRET = "probe-test-secret-0123456789abcdef0123";

    @Test
    void withoutAFaultEveryEventReachesEverySubscriber() throws InterruptedException {
        try (BenchServer server = BenchServer.start("127.0.0.1", 0, SECRET)) {
            JwtMinter minter = new JwtMinter(SECRET);
            Map<String, List<String>> grants = Map.of("chat.*", List.of("subscribe", "publish"));
            WebSocketDriver driver = new WebSocketDriver(server.wsUri(),
                    spec -> minter.mint(spec.user(), grants, Duration.ofMinutes(10)), 2);
            try {
                ProbeRun.Settings s = new ProbeRun.Settings(4, 2, 2, 40, Duration.ofSeconds(2), Duration.ofSeconds(10),
                        0, Duration.ofSeconds(1), 10, 64);
                ProbeRun run = new ProbeRun(List.of(driver), s, new PrintStream(new ByteArrayOutputStream(), true,
                        StandardCharsets.UTF_8));

                Map<String, Object> r = run.execute();

                assertThat(r.get("acked")).as("%s", r).isEqualTo(80L);
                assertThat(r.get("publish_errors")).isEqualTo(0L);
                assertThat(r.get("missed_events")).isEqualTo(0L);
                assertThat(r.get("duplicates")).isEqualTo(0L);
                assertThat(r.get("subscribers_behind_at_end")).isEqualTo(0L);
                assertThat(run.timelineCsv().lines().count()).isGreaterThan(1);
            } finally {
                driver.close();
            }
        }
    }

    @Test
    void settingsRefuseAnImpossibleLayout() {
        assertThatThrownBy(() -> new ProbeRun.Settings(2, 1, 3, 10, Duration.ofSeconds(1), Duration.ofSeconds(1), 0,
                Duration.ofSeconds(1), 1, 64)).hasMessageContaining("publishers");
    }
}
