package io.playconnect.store.mvstore;

import io.playconnect.core.RoomId;
import io.playconnect.core.spi.BrokerException;
import io.playconnect.core.spi.LogRecord;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group commit, made deterministic by holding the writer thread inside a batch of its own while the
 * test queues the writes that must share the next one.
 */
class GroupCommitTest {
    private MvStoreBroker broker;
    private CountDownLatch release;
    private CountDownLatch held;

    @BeforeEach
    void open() {
        broker = MvStoreBroker.newBuilder().directory(Directories.fresh()).build();
        release = new CountDownLatch(1);
        held = new CountDownLatch(1);
    }

    @AfterEach
    void close() {
        release.countDown();
        broker.close();
    }

    /** Occupies the writer thread until the test releases it. */
    private void holdWriter() throws InterruptedException {
        broker.submit(new WriteOp() {
            @Override
            boolean apply() {
                held.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return false;
            }

            @Override
            void finish(Throwable failure) {
            }
        });
        assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
    }

    private static LogRecord record(RoomId room, String epoch, long seq) {
        return new LogRecord(room, epoch, seq, 1000 + seq, ("r" + seq).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void appendsWaitingDuringASyncShareTheNextOne() throws Exception {
        RoomId room = RoomId.of("chat", "group");
        String epoch = broker.roomLog().info(room).get(10, TimeUnit.SECONDS).epoch();
        long syncsBefore = broker.syncs();
        holdWriter();
        List<CompletableFuture<Void>> appends = new ArrayList<>();
        for (long seq = 1; seq <= 200; seq++) {
            appends.add(broker.roomLog().append(record(room, epoch, seq), seq - 1));
        }
        assertThat(appends).noneMatch(CompletableFuture::isDone);
        release.countDown();
        CompletableFuture.allOf(appends.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
        assertThat(broker.syncs() - syncsBefore).as("syncs for 200 appends queued together").isEqualTo(1);
        assertThat(broker.roomLog().info(room).get().lastSeq()).isEqualTo(200);
    }

    @Test
    void liveSubscribersGetARecordOnlyOnceItIsDurable() throws Exception {
        RoomId room = RoomId.of("chat", "live");
        String epoch = broker.roomLog().info(room).get(10, TimeUnit.SECONDS).epoch();
        List<Long> delivered = new CopyOnWriteArrayList<>();
        broker.roomLog().subscribe(room, r -> delivered.add(r.seq()));
        holdWriter();
        CompletableFuture<Void> first = broker.roomLog().append(record(room, epoch, 1), 0);
        CompletableFuture<Void> second = broker.roomLog().append(record(room, epoch, 2), 1);
        assertThat(delivered).isEmpty();
        assertThat(broker.roomLog().read(room, 1, 10).get()).isEmpty();
        assertThat(broker.roomLog().info(room).get().lastSeq()).isZero();
        release.countDown();
        second.get(30, TimeUnit.SECONDS);
        assertThat(first).isCompleted();
        assertThat(delivered).containsExactly(1L, 2L);
        assertThat(broker.roomLog().read(room, 1, 10).get()).extracting(LogRecord::seq).containsExactly(1L, 2L);
    }

    @Test
    void aRefusalInABatchFailsOnlyItself() throws Exception {
        RoomId room = RoomId.of("chat", "refusal");
        String epoch = broker.roomLog().info(room).get(10, TimeUnit.SECONDS).epoch();
        holdWriter();
        CompletableFuture<Void> ok1 = broker.roomLog().append(record(room, epoch, 1), 0);
        CompletableFuture<Void> stale = broker.roomLog().append(record(room, epoch, 1), 0);
        CompletableFuture<Void> ok2 = broker.roomLog().append(record(room, epoch, 2), 1);
        release.countDown();
        ok2.get(30, TimeUnit.SECONDS);
        ok1.get(30, TimeUnit.SECONDS);
        assertThat(stale).failsWithin(30, TimeUnit.SECONDS).withThrowableOfType(Exception.class)
                .satisfies(e -> assertThat(BrokerException.reasonOf(e)).isEqualTo(BrokerException.Reason.WRONG_LAST_SEQUENCE));
        assertThat(broker.roomLog().read(room, 1, 10).get()).extracting(r -> new String(r.data(), StandardCharsets.UTF_8))
                .containsExactly("r1", "r2");
    }

    @Test
    void keyValueWritesAreGroupCommittedToo() throws Exception {
        var kv = broker.keyValue(io.playconnect.core.spi.KeyValueConfig.newBuilder("group").build());
        long syncsBefore = broker.syncs();
        holdWriter();
        List<CompletableFuture<Long>> writes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            writes.add(kv.put("k" + i, new byte[] {(byte) i}));
        }
        release.countDown();
        CompletableFuture.allOf(writes.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
        assertThat(broker.syncs() - syncsBefore).isEqualTo(1);
        assertThat(writes.stream().map(CompletableFuture::join).toList()).isSorted().doesNotHaveDuplicates();
    }
}
