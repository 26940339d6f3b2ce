package io.playconnect.server;

import io.playconnect.core.Command;
import io.playconnect.core.CommandResult;
import io.playconnect.core.CommandSender;
import io.playconnect.core.Origin;
import io.playconnect.core.Partitioner;
import io.playconnect.core.RoomId;
import io.playconnect.core.RoomSnapshot;
import io.playconnect.core.spi.LogInfo;
import io.playconnect.core.spi.LogRecord;
import io.playconnect.store.mvstore.MvStoreBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --data-dir} in one process: what a drained restart keeps, and what is refused. */
class DataDirTest {
    @TempDir
    Path dir;

    private ServerConfig.Builder config() {
        return ServerConfig.newBuilder().httpPort(0).tokenSecret(PlayConnectCommandTest.SECRET).dataDir(dir)
                .mqttPort(ListenPort.explicit(0));
    }

    private static CommandResult send(RunningServer server, String room, String correlationId, String text) {
        CommandSender sender = new CommandSender(server.broker(), new Partitioner(server.config().partitions()));
        Command command = new Command(RoomId.parse(room), "chat.message",
                ("{\"text\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8), correlationId,
                new Origin("test", "alice"), null);
        return sender.send(command, Duration.ofSeconds(10)).join();
    }

    @Test
    void aRestartKeepsEveryEventTheEpochAndTheDeduplicationWindow() {
        RoomId room = RoomId.parse("chat.durable");
        CommandResult.Accepted first;
        LogInfo before;
        try (RunningServer server = PlayConnectServer.start(config().build())) {
            assertThat(server.broker()).isInstanceOf(MvStoreBroker.class);
            first = (CommandResult.Accepted) send(server, room.value(), "c1", "one");
            for (int i = 2; i <= 5; i++) {
                assertThat(send(server, room.value(), "c" + i, "m" + i)).isInstanceOf(CommandResult.Accepted.class);
            }
            before = server.broker().roomLog().info(room).join();
        }
        assertThat(dir.resolve(MvStoreBroker.FILE_NAME)).exists();
        try (RunningServer server = PlayConnectServer.start(config().build())) {
            assertThat(server.broker().roomLog().info(room).join()).isEqualTo(before);
            List<LogRecord> log = server.broker().roomLog().read(room, 1, 100).join();
            assertThat(log).extracting(LogRecord::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
            // The retry of an event from before the restart gets its original ack, not a second event.
            assertThat(send(server, room.value(), "c1", "one")).isEqualTo(first);
            CommandResult.Accepted next = (CommandResult.Accepted) send(server, room.value(), "c6", "six");
            assertThat(next.epoch()).isEqualTo(before.epoch());
            assertThat(next.seq()).isEqualTo(6);
            RoomSnapshot state = new CommandSender(server.broker(), new Partitioner(server.config().partitions()))
                    .fetchState(room, Duration.ofSeconds(10)).join();
            assertThat(new String(state.state(), StandardCharsets.UTF_8)).contains("one", "m5", "six");
        }
    }

    @Test
    void aSecondProcessOnTheSameDirectoryIsRefusedNamingTheOption() {
        try (RunningServer first = PlayConnectServer.start(config().build())) {
            assertThatThrownBy(() -> PlayConnectServer.start(config().build()))
                    .isInstanceOf(StartupException.class)
                    .hasMessageStartingWith("--data-dir " + dir + ": ")
                    .hasMessageContaining("in use by another process");
            assertThat(first.isReady()).isTrue();
        }
    }

    @Test
    void aDataDirThatIsAFileIsRefusedNamingTheOption() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        Cli.Outcome o = Cli.execute(java.util.Map.of(), "run", "--data-dir", file.toString(), "--http-port", "0",
                "--mqtt-port", "0", "--token-secret", PlayConnectCommandTest.SECRET);
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.errLines()).hasSize(1);
        assertThat(o.errLines().get(0)).startsWith("playconnect: --data-dir " + file + ": cannot create the data directory");
    }
}
