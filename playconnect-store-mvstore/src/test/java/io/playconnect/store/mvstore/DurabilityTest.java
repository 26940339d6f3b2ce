package io.playconnect.store.mvstore;

import io.playconnect.core.RoomId;
import io.playconnect.core.spi.KeyValue;
import io.playconnect.core.spi.KeyValueConfig;
import io.playconnect.core.spi.KvEntry;
import io.playconnect.core.spi.LogInfo;
import io.playconnect.core.spi.LogRecord;
import io.playconnect.core.spi.RoomLogConfig;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a data directory keeps across a clean close and across a crash. */
class DurabilityTest {

    private static MvStoreBroker open(Path dir) {
        return MvStoreBroker.newBuilder().directory(dir).build();
    }

    private static <T> T join(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    private static LogRecord record(RoomId room, String epoch, long seq) {
        return new LogRecord(room, epoch, seq, 5000 + seq, (room.id() + "#" + seq).getBytes(StandardCharsets.UTF_8),
                Map.of("Pc-Fingerprint", Long.toHexString(seq * 31)));
    }

    @Test
    void logsKeepTheirEpochRecordsAndHeadersAcrossARestart() throws Exception {
        Path dir = Directories.fresh();
        Map<RoomId, LogInfo> before = new java.util.HashMap<>();
        try (MvStoreBroker broker = open(dir)) {
            for (int r = 0; r < 3; r++) {
                RoomId room = RoomId.of("chat", "room" + r);
                String epoch = join(broker.roomLog().info(room)).epoch();
                for (long seq = 1; seq <= 20 + r; seq++) {
                    join(broker.roomLog().append(record(room, epoch, seq), seq - 1));
                }
                before.put(room, join(broker.roomLog().info(room)));
            }
        }
        try (MvStoreBroker broker = open(dir)) {
            for (Map.Entry<RoomId, LogInfo> e : before.entrySet()) {
                RoomId room = e.getKey();
                assertThat(join(broker.roomLog().info(room))).isEqualTo(e.getValue());
                List<LogRecord> read = join(broker.roomLog().read(room, 1, 100));
                assertThat(read).hasSize((int) e.getValue().lastSeq());
                for (LogRecord r : read) {
                    LogRecord expected = record(room, e.getValue().epoch(), r.seq());
                    assertThat(r.data()).isEqualTo(expected.data());
                    assertThat(r.headers()).isEqualTo(expected.headers());
                    assertThat(r.timestamp()).isEqualTo(expected.timestamp());
                    assertThat(r.epoch()).isEqualTo(expected.epoch());
                }
                String epoch = e.getValue().epoch();
                long next = e.getValue().lastSeq() + 1;
                join(broker.roomLog().append(record(room, epoch, next), next - 1));
            }
        }
    }

    /**
     * Writers append to several rooms without waiting; the broker then stops as a crash would. After
     * reopening, every append that was acknowledged is there, each log is gapless, and nothing is
     * there that was not appended. Seeded, so a failure replays.
     */
    @Test
    void everyAcknowledgedAppendSurvivesACrash() throws Exception {
        for (long seed = 1; seed <= 6; seed++) {
            crashAndCheck(seed);
        }
    }

    private static void crashAndCheck(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        Path dir = Directories.fresh();
        Map<RoomId, Long> acked = new ConcurrentHashMap<>();
        Map<RoomId, String> epochs = new java.util.HashMap<>();
        MvStoreBroker broker = open(dir);
        List<RoomId> rooms = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            RoomId room = RoomId.of("doc", "s" + seed + "r" + r);
            rooms.add(room);
            epochs.put(room, join(broker.roomLog().info(room)).epoch());
        }
        int total = 200 + random.nextInt(400);
        int crashAt = random.nextInt(total);
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        long[] next = new long[rooms.size()];
        for (int i = 0; i < total; i++) {
            int r = random.nextInt(rooms.size());
            RoomId room = rooms.get(r);
            long seq = ++next[r];
            pending.add(broker.roomLog().append(record(room, epochs.get(room), seq), seq - 1)
                    .thenRun(() -> acked.merge(room, seq, Math::max)));
            if (i == crashAt) {
                broker.crash();
            }
        }
        pending.forEach(f -> f.handle((v, e) -> null).join());
        try (MvStoreBroker reopened = open(dir)) {
            for (int r = 0; r < rooms.size(); r++) {
                RoomId room = rooms.get(r);
                LogInfo info = join(reopened.roomLog().info(room));
                long ackedSeq = acked.getOrDefault(room, 0L);
                assertThat(info.epoch()).as("seed %d room %s", seed, room).isEqualTo(epochs.get(room));
                assertThat(info.lastSeq()).as("seed %d room %s: acked up to %d", seed, room, ackedSeq)
                        .isGreaterThanOrEqualTo(ackedSeq).isLessThanOrEqualTo(next[r]);
                List<LogRecord> read = join(reopened.roomLog().read(room, 1, 10_000));
                assertThat(read).extracting(LogRecord::seq).as("seed %d", seed)
                        .isEqualTo(java.util.stream.LongStream.rangeClosed(1, info.lastSeq()).boxed().toList());
                assertThat(read).allSatisfy(rec -> assertThat(rec.data())
                        .isEqualTo(record(room, epochs.get(room), rec.seq()).data()));
            }
        }
    }

    @Test
    void durableBucketsKeepValuesAndRevisionsKeepIncreasing() throws Exception {
        Path dir = Directories.fresh();
        long lastRevision;
        try (MvStoreBroker broker = open(dir)) {
            KeyValue kv = broker.keyValue(KeyValueConfig.newBuilder("pc-snapshots").maxValueSize(64).build());
            join(kv.put("chat.a", "one".getBytes(StandardCharsets.UTF_8)));
            join(kv.put("chat.b", "two".getBytes(StandardCharsets.UTF_8)));
            lastRevision = join(kv.put("chat.gone", "x".getBytes(StandardCharsets.UTF_8)));
            join(kv.delete("chat.gone"));
        }
        try (MvStoreBroker broker = open(dir)) {
            KeyValue kv = broker.keyValue(KeyValueConfig.newBuilder("pc-snapshots").build());
            KvEntry a = join(kv.get("chat.a")).orElseThrow();
            assertThat(new String(a.value(), StandardCharsets.UTF_8)).isEqualTo("one");
            assertThat(join(kv.get("chat.gone"))).isEmpty();
            assertThat(join(kv.keys())).containsExactlyInAnyOrder("chat.a", "chat.b");
            assertThat(join(kv.create("chat.c", new byte[1]))).isGreaterThan(lastRevision);
            assertThat(join(kv.update("chat.a", new byte[1], a.revision()))).isGreaterThan(lastRevision);
            // The value size the bucket was created with is kept.
            assertThat(kv.put("chat.big", new byte[65])).failsWithin(Duration.ofSeconds(10));
        }
    }

    @Test
    void bucketsWithATtlAreForgottenOnRestart() throws Exception {
        Path dir = Directories.fresh();
        KeyValueConfig leases = KeyValueConfig.newBuilder("pc-leases").ttl(Duration.ofMinutes(1)).build();
        try (MvStoreBroker broker = open(dir)) {
            join(broker.keyValue(leases).create("partition-0", "engine-a".getBytes(StandardCharsets.UTF_8)));
            assertThat(join(broker.keyValue(leases).get("partition-0"))).isPresent();
        }
        try (MvStoreBroker broker = open(dir)) {
            assertThat(join(broker.keyValue(leases).get("partition-0"))).isEmpty();
            join(broker.keyValue(leases).create("partition-0", "engine-b".getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void resetAndCountRetentionSurviveARestart() throws Exception {
        Path dir = Directories.fresh();
        RoomLogConfig small = RoomLogConfig.newBuilder().maxRecordsPerRoom(5).build();
        RoomId kept = RoomId.of("chat", "kept");
        RoomId reset = RoomId.of("chat", "reset");
        LogInfo keptInfo;
        LogInfo resetInfo;
        try (MvStoreBroker broker = MvStoreBroker.newBuilder().directory(dir).roomLogConfig(small).build()) {
            for (RoomId room : List.of(kept, reset)) {
                String epoch = join(broker.roomLog().info(room)).epoch();
                for (long seq = 1; seq <= 9; seq++) {
                    join(broker.roomLog().append(record(room, epoch, seq), seq - 1));
                }
            }
            keptInfo = join(broker.roomLog().info(kept));
            resetInfo = join(broker.roomLog().reset(reset, 20));
        }
        assertThat(keptInfo.firstSeq()).isEqualTo(5);
        try (MvStoreBroker broker = MvStoreBroker.newBuilder().directory(dir).roomLogConfig(small).build()) {
            assertThat(join(broker.roomLog().info(kept))).isEqualTo(keptInfo);
            assertThat(join(broker.roomLog().read(kept, 1, 100))).extracting(LogRecord::seq).containsExactly(5L, 6L, 7L, 8L, 9L);
            assertThat(join(broker.roomLog().info(reset))).isEqualTo(resetInfo);
            assertThat(join(broker.roomLog().read(reset, 1, 100))).isEmpty();
            join(broker.roomLog().append(record(reset, resetInfo.epoch(), 20), 19));
        }
    }
}
