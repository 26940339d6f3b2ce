package io.playconnect.broker.memory;

import io.playconnect.core.RoomId;
import io.playconnect.core.spi.BrokerException;
import io.playconnect.core.spi.LogRecord;
import io.playconnect.core.spi.RoomLog;
import io.playconnect.core.spi.RoomLogConfig;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Many threads at once: publishing, appending to their own rooms, reading, and racing appenders. */
class ConcurrencyTest {
    private static final long PATIENCE_SECONDS = 30;
    private final InMemoryBroker broker = InMemoryBroker.newBuilder()
            .roomLogConfig(RoomLogConfig.newBuilder().maxRecordsPerRoom(500).build()).build();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void close() {
        pool.shutdownNow();
        broker.close();
    }

    private static byte[] encode(long seq) {
        return ByteBuffer.allocate(8).putLong(seq).array();
    }

    private static long decode(byte[] data) {
        return ByteBuffer.wrap(data).getLong();
    }

    @Test
    void writersOnDifferentRoomsAndSubjectsWithReadersAlongside() throws Exception {
        int writers = 6;
        int perWriter = 3_000;
        RoomLog log = broker.roomLog();
        Map<Integer, List<Long>> live = new ConcurrentHashMap<>();
        Map<Integer, List<Long>> published = new ConcurrentHashMap<>();
        List<String> problems = new CopyOnWriteArrayList<>();
        for (int w = 0; w < writers; w++) {
            int id = w;
            live.put(w, new ArrayList<>());
            published.put(w, new ArrayList<>());
            // Each room has one writer, so its listener and subscriber are called by one thread at a time.
            log.subscribe(room(w), r -> live.get(id).add(r.seq()));
            broker.subscribe("w." + w + ".*", m -> published.get(id).add(decode(m.data())));
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> tasks = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int id = w;
            tasks.add(pool.submit(() -> write(id, perWriter, start)));
            tasks.add(pool.submit(() -> readContiguously(room(id), writing, problems)));
        }
        start.countDown();
        for (int i = 0; i < tasks.size(); i += 2) {
            tasks.get(i).get(PATIENCE_SECONDS, TimeUnit.SECONDS);
        }
        writing.set(false);
        for (int i = 1; i < tasks.size(); i += 2) {
            tasks.get(i).get(PATIENCE_SECONDS, TimeUnit.SECONDS);
        }
        assertThat(problems).isEmpty();
        List<Long> all = oneTo(perWriter);
        for (int w = 0; w < writers; w++) {
            assertThat(live.get(w)).as("live records of writer %d", w).isEqualTo(all);
            assertThat(published.get(w)).as("messages of writer %d", w).isEqualTo(all);
            assertThat(log.info(room(w)).join().firstSeq()).isEqualTo(perWriter - 499);
        }
    }

    private static List<Long> oneTo(long n) {
        List<Long> all = new ArrayList<>();
        for (long s = 1; s <= n; s++) {
            all.add(s);
        }
        return all;
    }

    private static RoomId room(int w) {
        return RoomId.of("game", "c" + w);
    }

    private Void write(int id, int count, CountDownLatch start) throws InterruptedException {
        start.await();
        RoomLog log = broker.roomLog();
        String epoch = log.info(room(id)).join().epoch();
        for (long seq = 1; seq <= count; seq++) {
            log.append(new LogRecord(room(id), epoch, seq, 0, encode(seq)), seq - 1).join();
            broker.publish("w." + id + "." + (seq % 7), encode(seq));
        }
        return null;
    }

    /** Reads the room over and over; every read must be a contiguous, correct run. */
    private Void readContiguously(RoomId room, AtomicBoolean writing, List<String> problems) {
        RoomLog log = broker.roomLog();
        long from = 0;
        do {
            List<LogRecord> read = log.read(room, from, 64).join();
            long expected = read.isEmpty() ? -1 : read.get(0).seq();
            for (LogRecord r : read) {
                if (r.seq() != expected++ || decode(r.data()) != r.seq()) {
                    problems.add(room + ": bad run from " + from + ": " + read.stream().map(LogRecord::seq).toList());
                    return null;
                }
            }
            if (!read.isEmpty() && read.get(0).seq() < from) {
                problems.add(room + ": read from " + from + " started at " + read.get(0).seq());
            }
            // Wander over the retained range, so reads start at the head, the tail and in between.
            from = read.isEmpty() ? from : (from + 37) % (read.get(read.size() - 1).seq() + 1);
        } while (writing.get());
        return null;
    }

    @Test
    void readersOfAConstantlyWrappingRingSeeOnlyContiguousRuns() throws Exception {
        InMemoryBroker tiny = InMemoryBroker.newBuilder()
                .roomLogConfig(RoomLogConfig.newBuilder().maxRecordsPerRoom(3).build()).build();
        try {
            RoomLog log = tiny.roomLog();
            RoomId room = RoomId.of("game", "wrap");
            String epoch = log.info(room).join().epoch();
            AtomicBoolean writing = new AtomicBoolean(true);
            List<String> problems = new CopyOnWriteArrayList<>();
            AtomicLong runsRead = new AtomicLong();
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(pool.submit(() -> {
                    do {
                        List<LogRecord> read = log.read(room, 0, 10).join();
                        for (int i = 0; i < read.size(); i++) {
                            LogRecord rec = read.get(i);
                            if (rec.seq() != read.get(0).seq() + i || decode(rec.data()) != rec.seq()) {
                                problems.add("not contiguous: " + read.stream().map(LogRecord::seq).toList());
                            }
                        }
                        runsRead.incrementAndGet();
                    } while (writing.get());
                    return null;
                }));
            }
            for (long seq = 1; seq <= 300_000; seq++) {
                log.append(new LogRecord(room, epoch, seq, 0, encode(seq)), seq - 1).join();
            }
            writing.set(false);
            for (Future<?> f : readers) {
                f.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
            }
            assertThat(problems).isEmpty();
            assertThat(runsRead.get()).isPositive();
        } finally {
            tiny.close();
        }
    }

    @Test
    void racingAppendersNeverStoreASeqTwice() throws Exception {
        RoomLog log = broker.roomLog();
        RoomId room = RoomId.of("game", "race");
        String epoch = log.info(room).join().epoch();
        AtomicLong stored = new AtomicLong();
        List<Long> delivered = new CopyOnWriteArrayList<>();
        log.subscribe(room, r -> delivered.add(r.seq()));
        int appenders = 4;
        long target = 2_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> tasks = new ArrayList<>();
        for (int a = 0; a < appenders; a++) {
            tasks.add(pool.submit(() -> appendUntil(log, room, epoch, target, stored, start)));
        }
        start.countDown();
        for (Future<?> t : tasks) {
            t.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
        }
        assertThat(stored.get()).isEqualTo(target);
        assertThat(delivered).isEqualTo(oneTo(target));
        assertThat(log.read(room, target - 499, 500).join()).hasSize(500);
    }

    /** Appends at whatever the log says is next until {@code target}; counts its own successes. */
    private static Void appendUntil(RoomLog log, RoomId room, String epoch, long target, AtomicLong stored,
            CountDownLatch start) throws InterruptedException {
        start.await();
        while (true) {
            long last = log.info(room).join().lastSeq();
            if (last >= target) {
                return null;
            }
            boolean ok = log.append(new LogRecord(room, epoch, last + 1, 0, encode(last + 1)), last)
                    .handle((v, e) -> {
                        if (e != null && BrokerException.reasonOf(e) != BrokerException.Reason.WRONG_LAST_SEQUENCE) {
                            throw new AssertionError("unexpected failure", e);
                        }
                        return e == null;
                    }).join();
            if (ok) {
                stored.incrementAndGet();
            }
        }
    }

    @Test
    void queueGroupUnderConcurrentPublishersDeliversEachOnce() throws Exception {
        int members = 3;
        int publishers = 4;
        int perPublisher = 2_500;
        Map<String, AtomicLong> perMember = new ConcurrentHashMap<>();
        for (int m = 0; m < members; m++) {
            AtomicLong count = new AtomicLong();
            perMember.put("m" + m, count);
            broker.subscribe("jobs", "workers", msg -> count.incrementAndGet());
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> tasks = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            tasks.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perPublisher; i++) {
                    broker.publish("jobs", new byte[0]);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> t : tasks) {
            t.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
        }
        long total = perMember.values().stream().mapToLong(AtomicLong::get).sum();
        assertThat(total).isEqualTo((long) publishers * perPublisher);
        // Round-robin spreads the work: every member gets a share.
        assertThat(perMember.values()).allSatisfy(c -> assertThat(c.get()).isPositive());
    }

    @Test
    void subscribingWhilePublishingNeverLosesTheSubscription() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        Future<?> publisher = pool.submit(() -> {
            while (running.get()) {
                broker.publish("churn.x", new byte[0]);
            }
            return null;
        });
        try {
            for (int i = 0; i < 200; i++) {
                CountDownLatch got = new CountDownLatch(1);
                var sub = broker.subscribe(i % 2 == 0 ? "churn.*" : "churn.>", m -> got.countDown());
                assertThat(got.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).as("subscription %d", i).isTrue();
                sub.close();
            }
        } finally {
            running.set(false);
            publisher.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
        }
    }
}
