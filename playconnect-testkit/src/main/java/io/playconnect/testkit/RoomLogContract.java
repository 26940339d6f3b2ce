package io.playconnect.testkit;

import io.playconnect.core.RoomId;
import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.BrokerException.Reason;
import io.playconnect.core.spi.LogInfo;
import io.playconnect.core.spi.LogRecord;
import io.playconnect.core.spi.RoomLog;
import io.playconnect.core.spi.RoomLogConfig;
import io.playconnect.core.spi.Subscription;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.playconnect.testkit.ContractSupport.bytes;
import static io.playconnect.testkit.ContractSupport.failureOf;
import static io.playconnect.testkit.ContractSupport.join;
import static io.playconnect.testkit.ContractSupport.reasonOf;
import static io.playconnect.testkit.ContractSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-room log of a {@link Broker}: epochs, fenced appends, reads, live delivery of stored
 * records only, retention by count and by age, and reset. Every test uses rooms of its own.
 */
public abstract class RoomLogContract {
    /** Short enough that the age test takes about a second. */
    protected static final Duration SHORT_MAX_AGE = Duration.ofMillis(500);
    private final List<Broker> opened = new ArrayList<>();
    protected RoomLog log;
    private String prefix;

    /** A new, open broker whose room logs keep records as {@code logConfig} says. */
    protected abstract Broker newBroker(RoomLogConfig logConfig);

    @BeforeEach
    void openLog() {
        log = open(RoomLogConfig.defaults());
        prefix = "r" + ContractSupport.unique();
    }

    @AfterEach
    void closeBrokers() {
        opened.forEach(Broker::close);
    }

    private RoomLog open(RoomLogConfig config) {
        Broker broker = newBroker(config);
        opened.add(broker);
        return broker.roomLog();
    }

    /** A room of this test. */
    protected RoomId room(String name) {
        return RoomId.of("test", prefix + "-" + name);
    }

    private static LogRecord record(RoomId room, String epoch, long seq) {
        return new LogRecord(room, epoch, seq, System.currentTimeMillis(), bytes(room + "#" + seq));
    }

    /** A record that differs from every record {@link #record} makes: a stale owner's write. */
    private static LogRecord conflicting(RoomId room, String epoch, long seq) {
        return new LogRecord(room, epoch, seq, System.currentTimeMillis(), bytes("stale owner " + room + "#" + seq));
    }

    /** Appends records {@code from..to} to an empty or matching log; returns the epoch. */
    private static String appendRange(RoomLog log, RoomId room, long from, long to) {
        String epoch = join(log.info(room)).epoch();
        for (long seq = from; seq <= to; seq++) {
            join(log.append(record(room, epoch, seq), seq - 1));
        }
        return epoch;
    }

    private static List<Long> seqs(List<LogRecord> records) {
        return records.stream().map(LogRecord::seq).collect(Collectors.toList());
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().collect(Collectors.toList());
    }

    @Test
    void infoCreatesAnEmptyLogWithARandomEpoch() {
        LogInfo info = join(log.info(room("a")));
        assertThat(info.epoch()).isNotBlank();
        assertThat(info.firstSeq()).isEqualTo(1);
        assertThat(info.lastSeq()).isZero();
        assertThat(info.isEmpty()).isTrue();
        assertThat(join(log.info(room("a")))).isEqualTo(info);
    }

    @Test
    void differentRoomsGetDifferentEpochs() {
        List<String> epochs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            epochs.add(join(log.info(room("e" + i))).epoch());
        }
        assertThat(epochs).doesNotHaveDuplicates();
    }

    @Test
    void appendWithTheRightExpectedSeqIsStored() {
        RoomId room = room("a");
        String epoch = appendRange(log, room, 1, 3);
        assertThat(join(log.info(room))).isEqualTo(new LogInfo(epoch, 1, 3));
        List<LogRecord> read = join(log.read(room, 1, 10));
        assertThat(seqs(read)).containsExactly(1L, 2L, 3L);
        assertThat(read).allSatisfy(r -> {
            assertThat(r.room()).isEqualTo(room);
            assertThat(r.epoch()).isEqualTo(epoch);
            assertThat(text(r.data())).isEqualTo(room + "#" + r.seq());
        });
    }

    @Test
    void wrongExpectedSeqIsRefusedAndStoresNothing() {
        RoomId room = room("a");
        String epoch = join(log.info(room)).epoch();
        assertThat(reasonOf(() -> log.append(record(room, epoch, 2), 1))).isEqualTo(Reason.WRONG_LAST_SEQUENCE);
        appendRange(log, room, 1, 2);
        assertThat(reasonOf(() -> log.append(conflicting(room, epoch, 2), 1))).isEqualTo(Reason.WRONG_LAST_SEQUENCE);
        assertThat(reasonOf(() -> log.append(conflicting(room, epoch, 4), 3))).isEqualTo(Reason.WRONG_LAST_SEQUENCE);
        assertThat(join(log.info(room)).lastSeq()).isEqualTo(2);
        assertThat(seqs(join(log.read(room, 1, 10)))).containsExactly(1L, 2L);
        assertThat(join(log.read(room, 2, 1)).get(0).data()).isEqualTo(bytes(room + "#" + 2));
    }

    /**
     * A byte-identical re-send of the stored head (an append retried after a lost acknowledgement)
     * may be refused or taken as already stored; either way it is never stored twice.
     */
    @Test
    void anIdenticalResendOfTheHeadIsNeverStoredTwice() {
        RoomId room = room("a");
        String epoch = appendRange(log, room, 1, 2);
        List<LogRecord> stored = join(log.read(room, 2, 1));
        LogRecord head = stored.get(0);
        LogRecord resend = new LogRecord(room, epoch, 2, head.timestamp(), head.data(), head.headers());
        try {
            log.append(resend, 1).get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException refused) {
            assertThat(io.playconnect.core.spi.BrokerException.reasonOf(refused)).isEqualTo(Reason.WRONG_LAST_SEQUENCE);
        } catch (Exception e) {
            throw new AssertionError("the re-send neither completed nor failed: " + e, e);
        }
        assertThat(join(log.info(room)).lastSeq()).isEqualTo(2);
        assertThat(seqs(join(log.read(room, 1, 10)))).containsExactly(1L, 2L);
    }

    @Test
    void wrongEpochIsRefusedAndStoresNothing() {
        RoomId room = room("a");
        appendRange(log, room, 1, 1);
        String other = join(log.info(room("b"))).epoch();
        assertThat(reasonOf(() -> log.append(record(room, other, 2), 1))).isEqualTo(Reason.WRONG_LAST_SEQUENCE);
        assertThat(seqs(join(log.read(room, 1, 10)))).containsExactly(1L);
    }

    @Test
    void appendToARoomThatWasNeverCreatedIsRefused() {
        RoomId room = room("never");
        assertThat(reasonOf(() -> log.append(record(room, "0123456789abcdef", 1), 0)))
                .isEqualTo(Reason.WRONG_LAST_SEQUENCE);
    }

    @Test
    void seqOtherThanExpectedPlusOneIsABadArgument() {
        RoomId room = room("a");
        String epoch = join(log.info(room)).epoch();
        assertThat(failureOf(() -> log.append(record(room, epoch, 5), 0))).isInstanceOf(IllegalArgumentException.class);
        assertThat(join(log.info(room)).lastSeq()).isZero();
    }

    @Test
    void recordAboveMaxMessageSizeIsRefusedTooLarge() {
        Broker broker = newBroker(RoomLogConfig.defaults());
        opened.add(broker);
        RoomId room = room("big");
        String epoch = join(broker.roomLog().info(room)).epoch();
        LogRecord big = new LogRecord(room, epoch, 1, System.currentTimeMillis(), new byte[broker.maxMessageSize() + 1]);
        assertThat(reasonOf(() -> broker.roomLog().append(big, 0))).isEqualTo(Reason.TOO_LARGE);
        assertThat(join(broker.roomLog().info(room)).lastSeq()).isZero();
    }

    @Test
    void readReturnsUpToMaxRecordsFromASeqInOrder() {
        RoomId room = room("a");
        appendRange(log, room, 1, 10);
        assertThat(seqs(join(log.read(room, 4, 3)))).containsExactly(4L, 5L, 6L);
        assertThat(seqs(join(log.read(room, 8, 100)))).containsExactly(8L, 9L, 10L);
        assertThat(seqs(join(log.read(room, 0, 100)))).isEqualTo(range(1, 10));
        assertThat(join(log.read(room, 11, 5))).isEmpty();
        assertThat(join(log.read(room("unknown"), 1, 5))).isEmpty();
        assertThat(failureOf(() -> log.read(room, 1, 0))).isInstanceOf(IllegalArgumentException.class);
        assertThat(failureOf(() -> log.read(room, -1, 5))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void liveSubscribersGetOnlyStoredRecordsInSeqOrder() {
        RoomId room = room("live");
        Recorder<LogRecord> got = new Recorder<>();
        log.subscribe(room, got::add);
        String epoch = join(log.info(room)).epoch();
        for (long seq = 1; seq <= 50; seq++) {
            if (seq % 10 == 0) {
                LogRecord refused = new LogRecord(room, epoch, seq + 1, 0, bytes("refused"));
                assertThat(reasonOf(() -> log.append(refused, refused.seq() - 1))).isEqualTo(Reason.WRONG_LAST_SEQUENCE);
            }
            join(log.append(record(room, epoch, seq), seq - 1));
        }
        List<LogRecord> all = got.awaitSize(50);
        assertThat(seqs(all)).isEqualTo(range(1, 50));
        assertThat(all).noneMatch(r -> text(r.data()).equals("refused"));
    }

    /** Record headers (the engine's fingerprint, the trace context) come back unchanged, live and read. */
    @Test
    void recordHeadersComeBackFromLiveDeliveryAndReads() {
        RoomId room = room("headers");
        Recorder<LogRecord> live = new Recorder<>();
        log.subscribe(room, live::add);
        String epoch = join(log.info(room)).epoch();
        java.util.Map<String, String> headers = java.util.Map.of("Pc-Fingerprint", "1f2e3d",
                LogRecord.TRACEPARENT_HEADER, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        join(log.append(new LogRecord(room, epoch, 1, System.currentTimeMillis(), bytes("h"), headers), 0));
        assertThat(live.awaitSize(1).get(0).headers()).isEqualTo(headers);
        assertThat(join(log.read(room, 1, 10))).singleElement().satisfies(r -> assertThat(r.headers()).isEqualTo(headers));
    }

    @Test
    void liveSubscribersSeeOnlyTheirRoom() {
        Recorder<LogRecord> a = new Recorder<>();
        Recorder<LogRecord> b = new Recorder<>();
        log.subscribe(room("a"), a::add);
        log.subscribe(room("b"), b::add);
        appendRange(log, room("a"), 1, 3);
        appendRange(log, room("b"), 1, 1);
        assertThat(b.awaitSize(1)).singleElement().satisfies(r -> assertThat(r.room()).isEqualTo(room("b")));
        assertThat(a.awaitSize(3)).allSatisfy(r -> assertThat(r.room()).isEqualTo(room("a")));
        assertThat(join(log.read(room("b"), 1, 10))).hasSize(1);
    }

    @Test
    void closedSubscriptionGetsNoMoreRecords() {
        RoomId room = room("a");
        Recorder<LogRecord> closed = new Recorder<>();
        Recorder<LogRecord> witness = new Recorder<>();
        Subscription sub = log.subscribe(room, closed::add);
        log.subscribe(room, witness::add);
        appendRange(log, room, 1, 1);
        closed.awaitSize(1);
        sub.close();
        sub.close();
        String epoch = join(log.info(room)).epoch();
        join(log.append(record(room, epoch, 2), 1));
        witness.awaitSize(2);
        assertThat(seqs(closed.snapshot())).containsExactly(1L);
    }

    @Test
    void retentionByCountDropsTheOldest() {
        RoomLog small = open(RoomLogConfig.newBuilder().maxRecordsPerRoom(5).build());
        RoomId room = room("count");
        String epoch = appendRange(small, room, 1, 8);
        assertThat(join(small.info(room))).isEqualTo(new LogInfo(epoch, 4, 8));
        assertThat(seqs(join(small.read(room, 1, 100)))).isEqualTo(range(4, 8));
        assertThat(seqs(join(small.read(room, 6, 100)))).isEqualTo(range(6, 8));
        join(small.append(record(room, epoch, 9), 8));
        assertThat(join(small.info(room))).isEqualTo(new LogInfo(epoch, 5, 9));
    }

    @Test
    void retentionByAgeDropsOldRecordsButKeepsTheSeq() {
        RoomLog aging = open(RoomLogConfig.newBuilder().maxAge(SHORT_MAX_AGE).build());
        RoomId room = room("age");
        long start = System.nanoTime();
        String epoch = appendRange(aging, room, 1, 3);
        List<LogRecord> fresh = join(aging.read(room, 1, 10));
        if (Duration.ofNanos(System.nanoTime() - start).compareTo(SHORT_MAX_AGE) < 0) {
            assertThat(seqs(fresh)).containsExactly(1L, 2L, 3L);
        }
        // Expiry runs on the broker's own timer; a loaded machine may take a while to get to it.
        ContractSupport.eventually().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(100))
                .until(() -> join(aging.read(room, 1, 10)).isEmpty());
        assertThat(join(aging.info(room))).isEqualTo(new LogInfo(epoch, 4, 3));

        long later = System.nanoTime();
        join(aging.append(record(room, epoch, 4), 3));
        List<LogRecord> after = join(aging.read(room, 1, 10));
        if (Duration.ofNanos(System.nanoTime() - later).compareTo(SHORT_MAX_AGE) < 0) {
            assertThat(seqs(after)).containsExactly(4L);
        }
    }

    @Test
    void resetStartsANewEpochAtTheGivenSeq() {
        RoomId room = room("reset");
        String old = appendRange(log, room, 1, 3);
        Recorder<LogRecord> live = new Recorder<>();
        log.subscribe(room, live::add);
        LogInfo reset = join(log.reset(room, 10));
        assertThat(reset.epoch()).isNotBlank().isNotEqualTo(old);
        assertThat(reset.firstSeq()).isEqualTo(10);
        assertThat(reset.lastSeq()).isEqualTo(9);
        assertThat(join(log.info(room))).isEqualTo(reset);
        assertThat(join(log.read(room, 1, 100))).isEmpty();

        assertThat(reasonOf(() -> log.append(record(room, old, 4), 3))).isEqualTo(Reason.WRONG_LAST_SEQUENCE);
        assertThat(reasonOf(() -> log.append(record(room, reset.epoch(), 1), 0))).isEqualTo(Reason.WRONG_LAST_SEQUENCE);
        join(log.append(record(room, reset.epoch(), 10), 9));
        assertThat(seqs(join(log.read(room, 1, 100)))).containsExactly(10L);
        assertThat(live.awaitSize(1)).singleElement()
                .satisfies(r -> assertThat(r.epoch()).isEqualTo(reset.epoch()));
        assertThat(failureOf(() -> log.reset(room, 0))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resetOfANewRoomCreatesIt() {
        LogInfo info = join(log.reset(room("fresh"), 1));
        assertThat(info.firstSeq()).isEqualTo(1);
        assertThat(info.lastSeq()).isZero();
        assertThat(join(log.info(room("fresh")))).isEqualTo(info);
    }
}
