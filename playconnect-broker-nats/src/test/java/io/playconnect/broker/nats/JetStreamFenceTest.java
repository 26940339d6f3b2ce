package io.playconnect.broker.nats;

import io.nats.client.api.StreamInfoOptions;
import io.playconnect.core.RoomId;
import io.playconnect.core.spi.BrokerException;
import io.playconnect.core.spi.BrokerException.Reason;
import io.playconnect.core.spi.LogInfo;
import io.playconnect.core.spi.LogRecord;
import io.playconnect.core.spi.RoomLog;
import io.playconnect.core.spi.RoomLogConfig;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.playconnect.broker.nats.Recorded.failure;
import static io.playconnect.broker.nats.Recorded.join;
import static io.playconnect.broker.nats.Recorded.seqs;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fence between processes: two brokers on one stream stand for a stale owner and the new one,
 * a third for a gateway that only listens. What a stale owner appends is refused and reaches no
 * live subscriber; a re-sent record is stored once.
 */
class JetStreamFenceTest {
    private static NatsServer server;
    private final List<JetStreamBroker> brokers = new ArrayList<>();
    private String tenant;
    private final RoomId room = RoomId.of("chat", "fence");

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
        brokers.forEach(JetStreamBroker::close);
        server.deleteTenants();
    }

    private JetStreamBroker process(RoomLogConfig config) {
        JetStreamBroker b = JetStreamBroker.connect(server.options(tenant, config).build());
        brokers.add(b);
        return b;
    }

    private JetStreamBroker process() {
        return process(RoomLogConfig.defaults());
    }

    private static LogRecord record(RoomId room, String epoch, long seq, String text) {
        return new LogRecord(room, epoch, seq, 1000 + seq, text.getBytes(StandardCharsets.UTF_8),
                Map.of("Pc-Fingerprint", "f" + seq));
    }

    private static String text(LogRecord r) {
        return new String(r.data(), StandardCharsets.UTF_8);
    }

    private static void appendRange(RoomLog log, RoomId room, String epoch, long from, long to, String tag) {
        for (long s = from; s <= to; s++) {
            join(log.append(record(room, epoch, s, tag + s), s - 1));
        }
    }

    private long messagesOnSubject(JetStreamBroker b) throws Exception {
        String subject = b.names().logSubject(room);
        Long n = server.jsm().getStreamInfo(b.names().stream(), StreamInfoOptions.filterSubjects(subject))
                .getStreamState().getSubjectMap().get(subject);
        return n == null ? 0 : n;
    }

    @Test
    void staleOwnersAppendIsRefusedAndReachesNoLiveSubscriber() {
        JetStreamBroker stale = process();
        JetStreamBroker owner = process();
        JetStreamBroker gateway = process();
        Recorded<LogRecord> live = new Recorded<>();
        gateway.roomLog().subscribe(room, live::add);

        String epoch = join(stale.roomLog().info(room)).epoch();
        appendRange(stale.roomLog(), room, epoch, 1, 3, "old-owner-");
        assertThat(join(owner.roomLog().info(room))).isEqualTo(new LogInfo(epoch, 1, 3));
        join(owner.roomLog().append(record(room, epoch, 4, "new-owner-4"), 3));

        Throwable refused = failure(stale.roomLog().append(record(room, epoch, 4, "stale-4"), 3));
        assertThat(BrokerException.reasonOf(refused)).isEqualTo(Reason.WRONG_LAST_SEQUENCE);
        join(owner.roomLog().append(record(room, epoch, 5, "new-owner-5"), 4));

        List<LogRecord> seen = live.awaitSize(5);
        assertThat(seqs(seen)).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(seen).extracting(JetStreamFenceTest::text).doesNotContain("stale-4").contains("new-owner-4");
        assertThat(seen.get(3).header("Pc-Fingerprint")).isEqualTo("f4");
        assertThat(join(gateway.roomLog().read(room, 1, 10))).extracting(JetStreamFenceTest::text)
                .containsExactly("old-owner-1", "old-owner-2", "old-owner-3", "new-owner-4", "new-owner-5");
    }

    @Test
    void resetFencesTheOldEpochEvenBeforeItsFirstRecord() {
        JetStreamBroker stale = process();
        JetStreamBroker owner = process();
        String old = join(stale.roomLog().info(room)).epoch();
        LogInfo reset = join(owner.roomLog().reset(room, 1));

        Throwable refused = failure(stale.roomLog().append(record(room, old, 1, "stale-1"), 0));
        assertThat(BrokerException.reasonOf(refused)).isEqualTo(Reason.WRONG_LAST_SEQUENCE);
        assertThat(join(stale.roomLog().info(room))).isEqualTo(reset);
        join(stale.roomLog().append(record(room, reset.epoch(), 1, "fresh-1"), 0));
        assertThat(join(owner.roomLog().read(room, 1, 10))).extracting(JetStreamFenceTest::text).containsExactly("fresh-1");
    }

    @Test
    void recordResentWithTheSameMessageIdIsStoredOnce() throws Exception {
        JetStreamBroker first = process();
        JetStreamBroker resender = process();
        String epoch = join(first.roomLog().info(room)).epoch();
        appendRange(first.roomLog(), room, epoch, 1, 3, "r");
        JetStreamRoomLog log = (JetStreamRoomLog) resender.roomLog();
        join(log.info(room));
        long beforeFourth = log.heads().get(room).streamSeq();
        LogRecord fourth = record(room, epoch, 4, "r4");
        join(first.roomLog().append(fourth, 3));
        long stored = messagesOnSubject(first);

        // As if the acknowledgement of the first publish had been lost: the same message again,
        // with the fence it was first sent with. Only the duplicate window lets it through.
        join(log.store(fourth, beforeFourth));
        assertThat(messagesOnSubject(first)).isEqualTo(stored);

        // Another record under the same message id is not this one: refused, not acknowledged.
        Throwable other = failure(log.store(record(room, epoch, 4, "impostor"), beforeFourth));
        assertThat(BrokerException.reasonOf(other)).isEqualTo(Reason.WRONG_LAST_SEQUENCE);
        assertThat(messagesOnSubject(first)).isEqualTo(stored);
        assertThat(join(first.roomLog().read(room, 1, 10))).extracting(JetStreamFenceTest::text)
                .containsExactly("r1", "r2", "r3", "r4");
    }

    @Test
    void appendRetriedAfterAnUnknownOutcomeSucceedsOnceStored() {
        JetStreamBroker first = process();
        JetStreamBroker retrier = process();
        String epoch = join(first.roomLog().info(room)).epoch();
        LogRecord one = record(room, epoch, 1, "one");
        join(first.roomLog().append(one, 0));
        join(retrier.roomLog().append(one, 0));
        assertThat(seqs(join(first.roomLog().read(room, 1, 10)))).containsExactly(1L);
        Throwable changed = failure(retrier.roomLog().append(record(room, epoch, 1, "changed"), 0));
        assertThat(BrokerException.reasonOf(changed)).isEqualTo(Reason.WRONG_LAST_SEQUENCE);
    }

    @Test
    void afterEveryRecordExpiredANewProcessStartsANewEpochAndTheOldHeadIsFenced() {
        RoomLogConfig shortLived = RoomLogConfig.newBuilder().maxAge(Duration.ofMillis(400)).build();
        JetStreamBroker old = process(shortLived);
        String epoch = join(old.roomLog().info(room)).epoch();
        appendRange(old.roomLog(), room, epoch, 1, 2, "x");
        Awaitility.await().atMost(Recorded.PATIENCE).until(() -> join(old.roomLog().read(room, 1, 10)).isEmpty());
        // The process that appended still knows where the seq was.
        assertThat(join(old.roomLog().info(room))).isEqualTo(new LogInfo(epoch, 3, 2));

        JetStreamBroker fresh = process(shortLived);
        LogInfo restarted = join(fresh.roomLog().info(room));
        assertThat(restarted.epoch()).isNotEqualTo(epoch);
        assertThat(restarted).isEqualTo(new LogInfo(restarted.epoch(), 1, 0));
        Throwable refused = failure(old.roomLog().append(record(room, epoch, 3, "late"), 2));
        assertThat(BrokerException.reasonOf(refused)).isEqualTo(Reason.WRONG_LAST_SEQUENCE);
    }

    @Test
    void recordHeadersNamedLikeTheLogsOwnAreRefused() {
        JetStreamBroker b = process();
        String epoch = join(b.roomLog().info(room)).epoch();
        for (String name : new String[] {"Pc-Seq", "Pc-Epoch", "Pc-Ts", "Pc-Next-Seq", "Nats-Msg-Id", "nats-rollup"}) {
            LogRecord bad = new LogRecord(room, epoch, 1, 1, new byte[1], Map.of(name, "x"));
            assertThat(failure(b.roomLog().append(bad, 0))).as(name).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(join(b.roomLog().info(room)).lastSeq()).isZero();
    }
}
