package io.playconnect.broker.memory;

import io.playconnect.core.RoomId;
import io.playconnect.core.spi.LogInfo;
import io.playconnect.core.spi.LogRecord;
import io.playconnect.core.spi.RoomLog;
import io.playconnect.core.spi.RoomLogConfig;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-memory room log with a clock the test moves: exact retention boundaries, and a model check. */
class RoomLogTest {
    private final ManualClock clock = new ManualClock();
    private final List<InMemoryBroker> brokers = new ArrayList<>();

    @AfterEach
    void close() {
        brokers.forEach(InMemoryBroker::close);
    }

    private InMemoryBroker broker(RoomLogConfig config) {
        InMemoryBroker b = InMemoryBroker.newBuilder().roomLogConfig(config).clock(clock).build();
        brokers.add(b);
        return b;
    }

    private static LogRecord record(RoomId room, String epoch, long seq) {
        return new LogRecord(room, epoch, seq, 0, ByteBuffer.allocate(8).putLong(seq).array());
    }

    private static List<Long> seqs(List<LogRecord> records) {
        return records.stream().map(LogRecord::seq).collect(Collectors.toList());
    }

    @Test
    void recordExpiresExactlyAtMaxAge() {
        RoomLog log = broker(RoomLogConfig.newBuilder().maxAge(Duration.ofSeconds(10)).build()).roomLog();
        RoomId room = RoomId.of("game", "age");
        String epoch = log.info(room).join().epoch();
        log.append(record(room, epoch, 1), 0).join();
        clock.advance(Duration.ofSeconds(4));
        log.append(record(room, epoch, 2), 1).join();

        clock.advance(Duration.ofMillis(5_999));
        assertThat(seqs(log.read(room, 1, 10).join())).containsExactly(1L, 2L);
        clock.advance(Duration.ofMillis(1));
        assertThat(seqs(log.read(room, 1, 10).join())).containsExactly(2L);
        assertThat(log.info(room).join()).isEqualTo(new LogInfo(epoch, 2, 2));
        clock.advance(Duration.ofSeconds(4));
        assertThat(log.read(room, 0, 10).join()).isEmpty();
        assertThat(log.info(room).join()).isEqualTo(new LogInfo(epoch, 3, 2));
        log.append(record(room, epoch, 3), 2).join();
        assertThat(seqs(log.read(room, 1, 10).join())).containsExactly(3L);
    }

    @Test
    void clockGoingBackwardsNeverMakesALaterRecordOlder() {
        RoomLog log = broker(RoomLogConfig.newBuilder().maxAge(Duration.ofSeconds(10)).build()).roomLog();
        RoomId room = RoomId.of("game", "back");
        String epoch = log.info(room).join().epoch();
        log.append(record(room, epoch, 1), 0).join();
        clock.advance(Duration.ofSeconds(-5));
        log.append(record(room, epoch, 2), 1).join();
        clock.advance(Duration.ofMillis(14_999));
        assertThat(seqs(log.read(room, 1, 10).join())).containsExactly(1L, 2L);
        clock.advance(Duration.ofMillis(1));
        assertThat(log.read(room, 1, 10).join()).isEmpty();
    }

    @Test
    void housekeepingTrimsIdleRooms() {
        InMemoryBroker broker = broker(RoomLogConfig.newBuilder().maxAge(Duration.ofSeconds(1)).build());
        RoomId room = RoomId.of("game", "idle");
        String epoch = broker.roomLog().info(room).join().epoch();
        for (long seq = 1; seq <= 100; seq++) {
            broker.roomLog().append(record(room, epoch, seq), seq - 1).join();
        }
        clock.advance(Duration.ofSeconds(2));
        broker.housekeeping();
        assertThat(broker.roomLog().info(room).join()).isEqualTo(new LogInfo(epoch, 101, 100));
        broker.roomLog().append(record(room, epoch, 101), 100).join();
        assertThat(seqs(broker.roomLog().read(room, 1, 1000).join())).containsExactly(101L);
    }

    /**
     * Random appends, refused appends, clock moves and resets against a plain model of what must be
     * retained; after each step every read and the info agree with the model.
     */
    @Test
    void randomHistoriesAgreeWithAModel() {
        for (long seed = 1; seed <= 60; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            int maxRecords = 2 + random.nextInt(40);
            long maxAgeMillis = 50 + random.nextInt(500);
            RoomLog log = broker(RoomLogConfig.newBuilder().maxRecordsPerRoom(maxRecords)
                    .maxAge(Duration.ofMillis(maxAgeMillis)).build()).roomLog();
            RoomId room = RoomId.of("game", "model" + seed);
            Model model = new Model(log.info(room).join().epoch(), 1);
            for (int step = 0; step < 400; step++) {
                int op = random.nextInt(100);
                if (op < 70) {
                    log.append(record(room, model.epoch, model.last + 1), model.last).join();
                    model.append(clock.millis(), maxRecords);
                } else if (op < 80) {
                    long wrong = model.last + 1 + random.nextInt(3);
                    assertThat(log.append(record(room, model.epoch, wrong + 1), wrong).isCompletedExceptionally())
                            .as("seed %d step %d", seed, step).isTrue();
                } else if (op < 97) {
                    clock.advance(Duration.ofMillis(random.nextInt((int) maxAgeMillis / 2 + 1)));
                } else {
                    LogInfo info = log.reset(room, 1 + random.nextInt(1000)).join();
                    model = new Model(info.epoch(), info.firstSeq());
                }
                model.expire(clock.millis() - maxAgeMillis);
                check(log, room, model, random, "seed " + seed + " step " + step);
            }
        }
    }

    private static void check(RoomLog log, RoomId room, Model model, SplittableRandom random, String where) {
        assertThat(log.info(room).join()).as(where).isEqualTo(new LogInfo(model.epoch, model.first(), model.last));
        long from = Math.max(0, model.first() - 3 + random.nextInt(8));
        int max = 1 + random.nextInt(10);
        List<Long> expected = model.seqs.stream().filter(s -> s >= from).limit(max).collect(Collectors.toList());
        List<LogRecord> read = log.read(room, from, max).join();
        assertThat(seqs(read)).as(where + " read(%d, %d)", from, max).isEqualTo(expected);
        assertThat(read).allSatisfy(r -> assertThat(ByteBuffer.wrap(r.data()).getLong()).isEqualTo(r.seq()));
    }

    /** What the log must hold: seqs and their store times, oldest first. */
    private static final class Model {
        final String epoch;
        final Deque<Long> seqs = new ArrayDeque<>();
        final Deque<Long> times = new ArrayDeque<>();
        long last;
        long newest = Long.MIN_VALUE;

        Model(String epoch, long nextSeq) {
            this.epoch = epoch;
            this.last = nextSeq - 1;
        }

        void append(long now, int maxRecords) {
            newest = Math.max(newest, now);
            seqs.addLast(++last);
            times.addLast(newest);
            if (seqs.size() > maxRecords) {
                seqs.removeFirst();
                times.removeFirst();
            }
        }

        void expire(long cutoff) {
            while (!times.isEmpty() && times.peekFirst() <= cutoff) {
                seqs.removeFirst();
                times.removeFirst();
            }
        }

        long first() {
            return seqs.isEmpty() ? last + 1 : seqs.peekFirst();
        }
    }
}
