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
 * Every workload end to end at tiny scale against an in-process PlayConnect server on real
 * sockets: the counts must add up (every subscriber gets every message, nothing is missing after
 * the reconnect storm). No timing is asserted: this machine is shared.
 */
class WorkloadsEndToEndTest {
    private static final String SECRET = "load-test-secret-0123456789abcdef0123";
    private static BenchServer server;
    private static WebSocketDriver driver;
    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

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

    private LoadContext context() {
        LoadOptions options = LoadOptions.newBuilder()
                .connections(30).subscribers(12).messages(20).pacedSubscribers(10).rate(20)
                .duration(Duration.ofSeconds(1)).warmup(Duration.ZERO).stormClients(25).stormEvents(3)
                .sourceAddresses(3).maxPending(8).settle(Duration.ZERO).stepTimeout(Duration.ofSeconds(20)).build();
        return LoadContext.unprobed(driver, options, new PrintStream(progress, true, StandardCharsets.UTF_8));
    }

    @Test
    void idleDensityOpensEveryConnectionInTwoRooms() throws InterruptedException {
        WorkloadResult r = new IdleDensity().run(context());

        assertThat(r.number("connections_open")).as("%s", r.figures()).isEqualTo(30);
        assertThat(r.number("connections_failed")).isZero();
        assertThat(r.number("still_open_after_settle")).isEqualTo(30);
    }

    @Test
    void burstFanOutDeliversEveryMessageToEverySubscriberOnceInOrder() throws InterruptedException {
        WorkloadResult r = new BurstFanout().run(context());

        assertThat(r.number("deliveries")).as("%s", r.figures()).isEqualTo(12 * 20);
        assertThat(r.number("missing")).isZero();
        assertThat(r.number("gaps")).isZero();
        assertThat(r.number("duplicates")).isZero();
        assertThat(r.latency().getTotalCount()).isEqualTo(12 * 20);
        assertThat(r.checks()).allMatch(WorkloadResult.Check::met);
    }

    @Test
    void pacedFanOutDeliversEveryMessageOfTheMeasuredPeriod() throws InterruptedException {
        WorkloadResult r = new PacedFanout().run(context());

        assertThat(r.number("messages")).isEqualTo(20);
        assertThat(r.number("deliveries")).as("%s", r.figures()).isEqualTo(10 * 20);
        assertThat(r.number("missing")).isZero();
        assertThat(r.number("gaps")).isZero();
    }

    @Test
    void reconnectStormResumesEveryClientWithoutMissingAnEvent() throws InterruptedException {
        WorkloadResult r = new ReconnectStorm().run(context());

        assertThat(r.number("reconnected")).as("%s", r.figures()).isEqualTo(25);
        assertThat(r.number("resumed")).isEqualTo(25);
        assertThat(r.number("events_while_away")).isEqualTo(3);
        assertThat(r.number("missed_events")).isZero();
        assertThat(r.number("duplicates")).isZero();
        assertThat(r.number("snapshots_instead_of_replay")).isZero();
        assertThat(r.number("clients_behind_at_end")).isZero();
    }

    @Test
    void commandRateDeliversEveryCommandToEverySubscriberOfItsRoom() throws InterruptedException {
        CommandRate.Settings settings = new CommandRate.Settings(100, 6, 3, 2, 10);

        WorkloadResult r = new CommandRate(settings).run(context());

        assertThat(r.workload()).isEqualTo("commands-100");
        assertThat(r.number("commands")).as("%s", r.figures()).isEqualTo(100);
        assertThat(r.number("acked")).isEqualTo(100);
        assertThat(r.number("deliveries")).isEqualTo(100 * 2);
        assertThat(r.number("missing")).isZero();
        assertThat(r.number("gaps")).isZero();
        assertThat(r.number("duplicates")).isZero();
    }

    @Test
    void commandRateSettingsNameTheParameterTheyRefuse() {
        assertThatThrownBy(() -> new CommandRate.Settings(0, 6, 3, 2, 10)).hasMessageContaining("commandRate");
        assertThatThrownBy(() -> new CommandRate.Settings(10, 2, 3, 2, 10)).hasMessageContaining("commandPublishers");
        assertThatThrownBy(() -> new CommandRate.Settings(10, 6, 3, 0, 10)).hasMessageContaining("roomSubscribers");
        assertThatThrownBy(() -> new CommandRate.Settings(10, 6, 3, 2, Double.NaN)).hasMessageContaining("commandP99Ms");
    }
}
