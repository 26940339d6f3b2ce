package io.playconnect.server.scaleout;

import io.playconnect.server.JwtMinter;
import io.playconnect.testkit.history.CheckReport;
import io.playconnect.testkit.history.History;
import io.playconnect.testkit.history.HistoryChecker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --data-dir}: the single process is killed with SIGKILL under a steady write load and
 * started again on the same directory. Every acknowledged event is still there (a final read from
 * seq 0 must deliver it), each room keeps its epoch, and the clients resume with
 * {@code recovered: true} and nothing lost, duplicated or reordered. Needs nothing installed.
 */
class DataDirCrashProcessTest {
    private static final String SECRET = "data-dir-crash-test-secret-of-32-bytes!!";
    private static final int ROOMS = 3;

    @TempDir
    Path dataDir;
    @TempDir
    Path logs;
    private final List<ServerProcess> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(ServerProcess::destroy);
    }

    private ServerProcess start(String name) throws Exception {
        ServerProcess p = ServerProcess.start(name, logs, "--data-dir", dataDir.toString(), "--http-port", "0",
                "--mqtt-port", "0", "--token-secret", SECRET, "--partitions", "4");
        started.add(p);
        return p;
    }

    private static String token(String user) {
        return new JwtMinter(SECRET).mint(user, Map.of("chat.*", List.of("subscribe", "publish", "presence")),
                Duration.ofMinutes(10));
    }

    @Test
    void aKilledProcessRestartedOnItsDirectoryLosesNoAcknowledgedEvent() throws Exception {
        ServerProcess first = start("single");
        AtomicReference<URI> ws = new AtomicReference<>(first.listener("ws"));
        History history = new History();
        String prefix = "dd" + UUID.randomUUID().toString().substring(0, 8);
        List<LoadClient> clients = new ArrayList<>();
        for (int i = 0; i < ROOMS * 2; i++) {
            String user = "user" + i;
            clients.add(new LoadClient(user, "chat." + prefix + (i % ROOMS), history, () -> List.of(ws.get()), 0,
                    token(user), Duration.ofMillis(20)));
        }
        double servedAgain;
        try {
            clients.forEach(LoadClient::start);
            LoadChecks.awaitMoreAcks(clients, 20);
            long killedAt = System.nanoTime();
            first.killHard();
            ServerProcess second = start("single-again");
            ws.set(second.listener("ws"));
            servedAgain = LoadChecks.servedAgainMillis(clients, killedAt);
            LoadChecks.awaitMoreAcks(clients, 20);
        } finally {
            clients.forEach(c -> c.stopSending(Duration.ofSeconds(20)));
        }
        try {
            LoadChecks.awaitEveryClientCaughtUp(history, clients);
            LoadChecks.observeEveryRoom(history, clients, ws.get(), token("observer"));
            CheckReport report = HistoryChecker.check(history);
            System.out.println("data-dir crash history: " + report.summary());
            System.out.println("data-dir crash: served again " + servedAgain + " ms after kill -9 (JVM restart included)");
            for (LoadClient c : clients) {
                assertThat(c.failure()).as(c.name).isNull();
                assertThat(c.violations()).as(c.name + ": every resume came back recovered: true").isEmpty();
                assertThat(c.reconnects()).as(c.name).isPositive();
            }
            assertThat(report.valid()).as(report.summary()).isTrue();
            assertThat(report.acked()).isGreaterThan(ROOMS * 2 * 40 - 1);
            assertThat(epochsPerRoom(history)).as("each room kept its epoch").allSatisfy((room, epochs) ->
                    assertThat(epochs).hasSize(1));
        } finally {
            clients.forEach(LoadClient::close);
        }
    }

    private static Map<String, Set<String>> epochsPerRoom(History history) {
        Map<String, Set<String>> epochs = new HashMap<>();
        history.ops().stream().filter(o -> o.epoch() != null)
                .forEach(o -> epochs.computeIfAbsent(o.room(), r -> new HashSet<>()).add(o.epoch()));
        return epochs;
    }
}
