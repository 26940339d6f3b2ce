package io.playconnect.broker.nats;

import io.playconnect.core.RoomId;
import io.playconnect.core.spi.LogInfo;
import io.playconnect.core.spi.LogRecord;
import io.playconnect.core.spi.RoomLog;
import io.playconnect.core.spi.RoomLogConfig;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.playconnect.broker.nats.Recorded.join;
import static io.playconnect.broker.nats.Recorded.seqs;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads from logs whose rooms interleave in the stream, where a room seq says nothing about the
 * stream sequence: many seeded random histories (appends spread over rooms, count retention, a
 * reset), each checked against a model with random reads. The seed is in every assertion message.
 */
class JetStreamReadTest {
    private static final int MAX_RECORDS = 12;
    private static NatsServer server;

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

    /** What a room's log must hold: its epoch and the seqs retained. */
    private static final class Model {
        String epoch;
        long next = 1;
        final List<Long> retained = new ArrayList<>();

        void appended(long seq) {
            retained.add(seq);
            next = seq + 1;
            if (retained.size() > MAX_RECORDS) {
                retained.remove(0);
            }
        }
    }

    @Test
    void randomReadsOfInterleavedRoomsMatchTheModel() throws Exception {
        long base = new SplittableRandom().nextLong();
        for (int round = 0; round < 4; round++) {
            long seed = base + round;
            JetStreamBroker broker = server.broker(RoomLogConfig.newBuilder().maxRecordsPerRoom(MAX_RECORDS).build());
            try {
                runHistory(broker.roomLog(), new SplittableRandom(seed), seed);
            } finally {
                broker.close();
                server.deleteTenants();
            }
        }
    }

    private static void runHistory(RoomLog log, SplittableRandom random, long seed) {
        Map<RoomId, Model> models = new HashMap<>();
        List<RoomId> rooms = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RoomId room = RoomId.of("chat", "r" + i);
            rooms.add(room);
            Model m = new Model();
            m.epoch = join(log.info(room)).epoch();
            models.put(room, m);
        }
        int appends = 40 + random.nextInt(60);
        for (int i = 0; i < appends; i++) {
            RoomId room = rooms.get(random.nextInt(rooms.size()));
            Model m = models.get(room);
            if (random.nextInt(50) == 0) {
                LogInfo reset = join(log.reset(room, m.next + random.nextInt(3)));
                m.epoch = reset.epoch();
                m.next = reset.firstSeq();
                m.retained.clear();
                continue;
            }
            join(log.append(new LogRecord(room, m.epoch, m.next, i, (room + "#" + m.next).getBytes(StandardCharsets.UTF_8)),
                    m.next - 1));
            m.appended(m.next);
        }
        checkReads(log, random, seed, rooms, models);
    }

    private static void checkReads(RoomLog log, SplittableRandom random, long seed, List<RoomId> rooms,
                                   Map<RoomId, Model> models) {
        List<CompletableFuture<List<LogRecord>>> reads = new ArrayList<>();
        List<List<Long>> expected = new ArrayList<>();
        List<String> what = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            RoomId room = rooms.get(random.nextInt(rooms.size()));
            Model m = models.get(room);
            long from = random.nextInt((int) m.next + 2);
            int max = 1 + random.nextInt(MAX_RECORDS + 2);
            reads.add(log.read(room, from, max));
            expected.add(m.retained.stream().filter(s -> s >= from).limit(max).toList());
            what.add("seed " + seed + ": read(" + room + ", " + from + ", " + max + ")");
        }
        for (int i = 0; i < reads.size(); i++) {
            List<LogRecord> got = join(reads.get(i));
            assertThat(seqs(got)).as(what.get(i)).isEqualTo(expected.get(i));
            RoomId room = got.isEmpty() ? null : got.get(0).room();
            assertThat(got).as(what.get(i)).allSatisfy(r -> {
                assertThat(r.room()).isEqualTo(room);
                assertThat(r.epoch()).isEqualTo(models.get(room).epoch);
                assertThat(new String(r.data(), StandardCharsets.UTF_8)).isEqualTo(room + "#" + r.seq());
            });
        }
        for (RoomId room : rooms) {
            Model m = models.get(room);
            long first = m.retained.isEmpty() ? m.next : m.retained.get(0);
            assertThat(join(log.info(room))).as("seed " + seed + ": info(" + room + ")")
                    .isEqualTo(new LogInfo(m.epoch, first, m.next - 1));
        }
    }
}
