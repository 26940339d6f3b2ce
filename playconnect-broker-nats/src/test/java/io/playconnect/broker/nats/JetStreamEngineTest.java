package io.playconnect.broker.nats;

import io.playconnect.core.Command;
import io.playconnect.core.CommandResult;
import io.playconnect.core.CommandSender;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.Origin;
import io.playconnect.core.RoomId;
import io.playconnect.core.RoomSnapshot;
import io.playconnect.core.Subjects;
import io.playconnect.core.spi.KeyValueConfig;
import io.playconnect.core.spi.LogRecord;
import io.playconnect.core.spi.RoomLogConfig;
import io.playconnect.engine.EngineListener;
import io.playconnect.engine.SyncEngine;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.playconnect.broker.nats.Recorded.join;
import static io.playconnect.broker.nats.Recorded.seqs;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sync engine on JetStream: each broker stands for a process (engine or gateway) of one
 * deployment, all in one tenant of the shared server.
 */
class JetStreamEngineTest {
    private static final int PARTITIONS = 4;
    private static final Duration LEASE_TTL = Duration.ofSeconds(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static NatsServer server;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private String tenant;

    @BeforeAll
    static void connect() {
        server = NatsServer.require();
    }

    @AfterAll
    static void disconnect() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void newTenant() {
        tenant = server.newTenant();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        server.deleteTenants();
    }

    private JetStreamBroker process() {
        JetStreamBroker b = JetStreamBroker.connect(server.options(tenant, RoomLogConfig.defaults()).build());
        opened.add(b);
        return b;
    }

    private SyncEngine engine(JetStreamBroker broker, String id, EngineListener listener, int snapshotEvery) {
        SyncEngine e = SyncEngine.newBuilder().broker(broker).partitions(PARTITIONS).engineId(id)
                .leaseTtl(LEASE_TTL).snapshotEvery(snapshotEvery).listener(listener).build();
        opened.add(e);
        join(e.start());
        return e;
    }

    private SyncEngine engine(JetStreamBroker broker, String id) {
        return engine(broker, id, new EngineListener() { }, 1000);
    }

    private static CommandSender sender(JetStreamBroker gateway) {
        return new CommandSender(gateway, join(CommandSender.readPartitioner(gateway)));
    }

    /**
     * Sends as the edge does: no_owner (no subscriber yet for a partition being handed over, or a
     * lease that lapsed on a loaded machine) is retried with the same correlationId, within a bound.
     */
    private static CommandResult chat(CommandSender sender, String room, String text, String correlationId) {
        byte[] payload = ("{\"text\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8);
        Command c = new Command(RoomId.parse(room), "chat.message", payload, correlationId, new Origin("test", "alice"), null);
        AtomicReference<CommandResult> last = new AtomicReference<>();
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            last.set(join(sender.send(c, TIMEOUT)));
            return !(last.get() instanceof CommandResult.Rejected r && r.code() == ErrorCode.NO_OWNER);
        });
        return last.get();
    }

    private static long acceptedSeq(CommandResult r) {
        assertThat(r).isInstanceOf(CommandResult.Accepted.class);
        return ((CommandResult.Accepted) r).seq();
    }

    private static void awaitOwnersOfAll(SyncEngine... engines) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            Set<Integer> all = new HashSet<>();
            int total = 0;
            for (SyncEngine e : engines) {
                all.addAll(e.ownedPartitions());
                total += e.ownedPartitions().size();
            }
            return all.size() == PARTITIONS && total == PARTITIONS;
        });
    }

    @Test
    void commandsAreAckedWithGaplessSeqsAndStoredRecordsReachGateways() {
        JetStreamBroker engineProcess = process();
        engine(engineProcess, "engine-a");
        JetStreamBroker gateway = process();
        RoomId room = RoomId.parse("chat.lobby");
        Recorded<LogRecord> live = new Recorded<>();
        gateway.roomLog().subscribe(room, live::add);
        CommandSender sender = sender(gateway);

        List<Long> acked = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            acked.add(acceptedSeq(chat(sender, "chat.lobby", "m" + i, "c" + i)));
        }
        List<Long> expected = LongStream.rangeClosed(1, 12).boxed().collect(Collectors.toList());
        assertThat(acked).isEqualTo(expected);
        assertThat(chat(sender, "chat.lobby", "m3", "c3")).isEqualTo(chat(sender, "chat.lobby", "m3", "c3"));
        assertThat(acceptedSeq(chat(sender, "chat.lobby", "m3", "c3"))).isEqualTo(3);
        assertThat(seqs(live.awaitSize(12))).isEqualTo(expected);
        assertThat(seqs(join(gateway.roomLog().read(room, 1, 100)))).isEqualTo(expected);
    }

    @Test
    void restartedEngineRestoresStateFromSnapshotAndLogInTheSameEpoch() {
        JetStreamBroker firstProcess = process();
        SyncEngine first = engine(firstProcess, "engine-1", new EngineListener() { }, 3);
        JetStreamBroker gateway = process();
        CommandSender sender = sender(gateway);
        for (int i = 1; i <= 7; i++) {
            acceptedSeq(chat(sender, "chat.restart", "m" + i, "c" + i));
        }
        RoomSnapshot before = join(sender.fetchState(RoomId.parse("chat.restart"), TIMEOUT));
        assertThat(join(gateway.keyValue(KeyValueConfig.newBuilder(Subjects.SNAPSHOT_BUCKET).build())
                .get(Subjects.snapshot(RoomId.parse("chat.restart"))))).isPresent();
        // The process dies: no drain, no snapshot at the head, leases left to expire.
        first.close();
        firstProcess.close();

        Recorded<String> loaded = new Recorded<>();
        EngineListener listener = new EngineListener() {
            @Override
            public void onRoomLoaded(RoomId room, String epoch, long seq, boolean newEpoch) {
                loaded.add(room + "@" + epoch + ":" + seq + (newEpoch ? " new epoch" : ""));
            }
        };
        SyncEngine second = engine(process(), "engine-2", listener, 3);
        awaitOwnersOfAll(second);
        RoomSnapshot after = join(sender.fetchState(RoomId.parse("chat.restart"), TIMEOUT));
        assertThat(after.epoch()).isEqualTo(before.epoch());
        assertThat(after.seq()).isEqualTo(7);
        assertThat(new String(after.state(), StandardCharsets.UTF_8)).isEqualTo(new String(before.state(), StandardCharsets.UTF_8));
        assertThat(loaded.snapshot()).containsExactly("chat.restart@" + before.epoch() + ":7");
        assertThat(acceptedSeq(chat(sender, "chat.restart", "m8", "c8"))).isEqualTo(8);
        assertThat(acceptedSeq(chat(sender, "chat.restart", "m2", "c2"))).isEqualTo(2);
    }

    @Test
    void twoEnginesSplitThePartitionsByLeaseAndTheSurvivorTakesOver() {
        SyncEngine a = engine(process(), "engine-a");
        SyncEngine b = engine(process(), "engine-b");
        awaitOwnersOfAll(a, b);
        CommandSender sender = sender(process());
        List<String> rooms = IntStream.range(0, 8).mapToObj(i -> "chat.split" + i).collect(Collectors.toList());
        for (String room : rooms) {
            assertThat(acceptedSeq(chat(sender, room, "one", room + "-1"))).isEqualTo(1);
        }

        a.close();
        awaitOwnersOfAll(b);
        assertThat(b.ownedPartitions()).hasSize(PARTITIONS);
        for (String room : rooms) {
            assertThat(acceptedSeq(chat(sender, room, "two", room + "-2"))).as(room).isEqualTo(2);
        }
    }
}
