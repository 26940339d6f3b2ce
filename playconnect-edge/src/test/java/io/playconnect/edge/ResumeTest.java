package io.playconnect.edge;

import io.playconnect.core.RoomId;
import io.playconnect.core.RoomSnapshot;
import io.playconnect.core.StreamPosition;
import io.playconnect.core.spi.LogInfo;
import io.playconnect.core.spi.RoomLogConfig;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ResumeTest {
    private static final RoomId ROOM = RoomId.parse("chat.resume");

    private static byte[] text(String s) {
        return ("{\"text\":\"" + s + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** Publishes n messages through a session (in batches the room queue takes) and waits for their acks. */
    private static RecordingOutput.Ack publish(EdgeHarness.Client c, int n) {
        for (int sent = 0; sent < n; ) {
            int before = c.out().acks().size();
            int batch = Math.min(10, n - sent);
            for (int i = 0; i < batch; i++) {
                c.session().publish(ROOM, "message", text("m" + sent++), null, null);
            }
            await().until(() -> c.out().acks().size() == before + batch);
        }
        assertThat(c.out().errors()).isEmpty();
        List<RecordingOutput.Ack> acks = c.out().acks();
        return acks.get(acks.size() - 1);
    }

    private static List<Long> range(long fromInclusive, long toInclusive) {
        return LongStream.rangeClosed(fromInclusive, toInclusive).boxed().toList();
    }

    @Test
    void resumeWithinRetentionGivesExactlyTheMissedEvents() {
        try (EdgeHarness h = EdgeHarness.create()) {
            EdgeHarness.Client writer = h.connect("writer", EdgeHarness.ALL);
            RecordingOutput.Ack last = publish(writer, 10);
            EdgeHarness.Client back = h.connect("back", EdgeHarness.ALL);
            back.session().join(ROOM, new StreamPosition(last.epoch(), 4));
            await().until(() -> back.out().seqs(ROOM).size() == 6);
            publish(writer, 2);
            await().until(() -> back.out().seqs(ROOM).size() == 8);

            assertThat(back.out().joined(ROOM)).containsExactly(new RecordingOutput.Joined(ROOM, last.epoch(), 4, true));
            assertThat(back.out().all(RoomSnapshot.class)).isEmpty();
            assertThat(back.out().seqs(ROOM)).isEqualTo(range(5, 12));
            assertThat(h.counter(EdgeMetrics.RESUMES, EdgeMetrics.TAG_OUTCOME, EdgeMetrics.OUTCOME_RECOVERED)).isEqualTo(1);
        }
    }

    @Test
    void resumeAtTheHeadIsRecoveredWithNothingToReplay() {
        try (EdgeHarness h = EdgeHarness.create()) {
            EdgeHarness.Client writer = h.connect("writer", EdgeHarness.ALL);
            RecordingOutput.Ack last = publish(writer, 3);
            EdgeHarness.Client back = h.connect("back", EdgeHarness.ALL);
            back.session().join(ROOM, new StreamPosition(last.epoch(), 3));
            await().until(() -> back.out().joined(ROOM).size() == 1);
            publish(writer, 1);
            await().until(() -> back.out().seqs(ROOM).size() == 1);
            assertThat(back.out().joined(ROOM).get(0).recovered()).isTrue();
            assertThat(back.out().seqs(ROOM)).containsExactly(4L);
        }
    }

    @Test
    void resumePastRetentionGetsASnapshotAndRecoveredFalse() {
        try (EdgeHarness h = EdgeHarness.newBuilder()
                .roomLog(RoomLogConfig.newBuilder().maxRecordsPerRoom(5).build()).build()) {
            EdgeHarness.Client writer = h.connect("writer", EdgeHarness.ALL);
            RecordingOutput.Ack last = publish(writer, 20);
            LogInfo info = h.broker.roomLog().info(ROOM).join();
            assertThat(info.firstSeq()).as("retention trimmed the log").isGreaterThan(3);

            EdgeHarness.Client back = h.connect("back", EdgeHarness.ALL);
            back.session().join(ROOM, new StreamPosition(last.epoch(), 2));
            await().until(() -> back.out().all(RoomSnapshot.class).size() == 1);
            RoomSnapshot snap = back.out().all(RoomSnapshot.class).get(0);
            assertThat(back.out().joined(ROOM)).containsExactly(new RecordingOutput.Joined(ROOM, snap.epoch(), snap.seq(), false));
            assertThat(snap.seq()).isEqualTo(20);
            publish(writer, 2);
            await().until(() -> back.out().seqs(ROOM).size() == 2);
            assertThat(back.out().seqs(ROOM)).isEqualTo(range(21, 22));
            assertThat(h.counter(EdgeMetrics.RESUMES, EdgeMetrics.TAG_OUTCOME, EdgeMetrics.OUTCOME_SNAPSHOT)).isEqualTo(1);
        }
    }

    @Test
    void anotherEpochOrAPositionAheadOfTheLogGetsASnapshot() {
        try (EdgeHarness h = EdgeHarness.create()) {
            EdgeHarness.Client writer = h.connect("writer", EdgeHarness.ALL);
            RecordingOutput.Ack last = publish(writer, 3);
            EdgeHarness.Client other = h.connect("other", EdgeHarness.ALL);
            other.session().join(ROOM, new StreamPosition("some-old-epoch", 2));
            EdgeHarness.Client ahead = h.connect("ahead", EdgeHarness.ALL);
            ahead.session().join(ROOM, new StreamPosition(last.epoch(), 99));
            await().until(() -> other.out().all(RoomSnapshot.class).size() == 1
                    && ahead.out().all(RoomSnapshot.class).size() == 1);
            assertThat(other.out().joined(ROOM).get(0).recovered()).isFalse();
            assertThat(ahead.out().joined(ROOM).get(0)).isEqualTo(new RecordingOutput.Joined(ROOM, last.epoch(), 3, false));
        }
    }

    @Test
    void resumeUnderFireDeliversEveryEventExactlyOnceInOrder() throws Exception {
        long seed = 0x5EED_F12EL;
        SplittableRandom random = new SplittableRandom(seed);
        int sessions = 100;
        try (EdgeHarness h = EdgeHarness.create()) {
            EdgeHarness.Client writer = h.connect("writer", EdgeHarness.ALL);
            RecordingOutput.Ack head = publish(writer, 40);
            String epoch = head.epoch();

            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch started = new CountDownLatch(1);
            Thread firing = new Thread(() -> {
                started.countDown();
                int i = 0;
                while (!stop.get()) {
                    int acked = writer.out().acks().size();
                    writer.session().publish(ROOM, "message", text("f" + i++), null, null);
                    await().until(() -> writer.out().acks().size() > acked);
                }
            }, "publisher");
            firing.start();
            started.await();

            List<EdgeHarness.Client> clients = new ArrayList<>();
            List<Long> positions = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                clients.add(h.connect("u" + i, EdgeHarness.ALL));
            }
            for (int i = 0; i < sessions; i++) {
                // Mostly within the log, some fresh joins and some from a foreign epoch.
                int kind = random.nextInt(10);
                long since = kind == 0 ? -1 : random.nextLong(0, 41);
                positions.add(since);
                StreamPosition p = since < 0 ? null : new StreamPosition(kind == 1 ? "gone" : epoch, since);
                clients.get(i).session().join(ROOM, p);
            }
            await().until(() -> clients.stream().allMatch(c -> c.out().joined(ROOM).size() == 1));
            stop.set(true);
            firing.join();
            long last = writer.out().acks().get(writer.out().acks().size() - 1).seq();

            for (int i = 0; i < sessions; i++) {
                EdgeHarness.Client c = clients.get(i);
                RecordingOutput.Joined j = c.out().joined(ROOM).get(0);
                // A snapshot may already hold the last event, so count rather than look for it.
                await().until(() -> c.out().seqs(ROOM).size() >= last - j.seq());
                assertThat(c.out().seqs(ROOM)).as("session %d from %d (seed %x)", i, positions.get(i), seed)
                        .isEqualTo(range(j.seq() + 1, last));
                assertThat(c.out().overlapped()).isFalse();
            }
            assertThat(last).as("the publisher kept firing").isGreaterThan(41);
            long recovered = clients.stream().filter(c -> c.out().joined(ROOM).get(0).recovered()).count();
            assertThat(recovered).as("seed %x", seed).isBetween(50L, (long) sessions - 5);
        }
    }
}
