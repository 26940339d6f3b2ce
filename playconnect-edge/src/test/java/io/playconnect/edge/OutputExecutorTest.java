package io.playconnect.edge;

import io.playconnect.core.RoomId;
import io.playconnect.core.RoomSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Outputs that name their own executor (a gateway's event loop) are called there, with one hand-off per event and loop. */
class OutputExecutorTest {
    private static final RoomId ROOM = RoomId.parse("chat.loops");
    /** No presence scope: each join would otherwise send every member a presence update of its own. */
    private static final java.util.Map<String, List<String>> NO_PRESENCE =
            java.util.Map.of("chat.*", List.of("subscribe", "publish"));

    /** A stand-in for an event loop: one named thread, counting the tasks handed to it. */
    private static final class Loop implements java.util.concurrent.Executor {
        final String name;
        final AtomicInteger tasks = new AtomicInteger();
        final ExecutorService thread;

        Loop(String name) {
            this.name = name;
            this.thread = Executors.newSingleThreadExecutor(r -> new Thread(r, name));
        }

        @Override
        public void execute(Runnable task) {
            tasks.incrementAndGet();
            thread.execute(task);
        }
    }

    private final List<Loop> loops = new ArrayList<>();

    private Loop loop(String name) {
        Loop l = new Loop(name);
        loops.add(l);
        return l;
    }

    @AfterEach
    void stopLoops() {
        loops.forEach(l -> l.thread.shutdownNow());
    }

    private static byte[] text(String s) {
        return ("{\"text\":\"" + s + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static List<EdgeHarness.Client> joinOn(EdgeHarness h, Loop loop, int n) {
        List<EdgeHarness.Client> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            EdgeHarness.Client c = h.connect(loop.name + "-" + i, "websocket", NO_PRESENCE,
                    new RecordingOutput(loop));
            c.session().join(ROOM, null);
            clients.add(c);
        }
        return clients;
    }

    @Test
    void eachEventReachesALoopOnceForAllOfItsSessionsAndEveryCallRunsOnTheLoop() {
        try (EdgeHarness h = EdgeHarness.create()) {
            Loop a = loop("loop-a");
            Loop b = loop("loop-b");
            List<EdgeHarness.Client> onA = joinOn(h, a, 20);
            List<EdgeHarness.Client> onB = joinOn(h, b, 15);
            List<EdgeHarness.Client> all = new ArrayList<>(onA);
            all.addAll(onB);
            await().until(() -> all.stream().allMatch(c -> c.out().all(RoomSnapshot.class).size() == 1));
            int tasksA = a.tasks.get();
            int tasksB = b.tasks.get();

            // The publisher is called on the edge's own threads (no executor of its own).
            EdgeHarness.Client writer = h.connect("writer", EdgeHarness.ALL);
            int events = 12;
            for (int i = 0; i < events; i++) {
                writer.session().publish(ROOM, "message", text("m" + i), null, null);
            }
            await().until(() -> writer.out().acks().size() == events);
            List<Long> expected = LongStream.rangeClosed(1, events).boxed().toList();
            await().until(() -> all.stream().allMatch(c -> c.out().seqs(ROOM).size() == events));

            // 20 and 15 deliveries per event, but at most one hand-off per event to each loop.
            assertThat(a.tasks.get() - tasksA).isBetween(1, events);
            assertThat(b.tasks.get() - tasksB).isBetween(1, events);
            for (EdgeHarness.Client c : all) {
                assertThat(c.out().seqs(ROOM)).isEqualTo(expected);
                assertThat(c.out().overlapped()).isFalse();
                assertThat(c.out().flushes()).isPositive();
            }
            onA.forEach(c -> assertThat(c.out().threads).containsOnly("loop-a"));
            onB.forEach(c -> assertThat(c.out().threads).containsOnly("loop-b"));
            assertThat(writer.out().threads).noneMatch(t -> t.startsWith("loop-"));
        }
    }

    @Test
    void aSessionOnALoopThatNeverWritesIsStillDroppedAsASlowConsumer() {
        int limit = 16;
        try (EdgeHarness h = EdgeHarness.newBuilder().limits(l -> l.outboundQueueMessages(limit)).build()) {
            Loop loop = loop("loop-slow");
            EdgeHarness.Client stuck = joinOn(h, loop, 1).get(0);
            EdgeHarness.Client healthy = joinOn(h, loop, 1).get(0);
            await().until(() -> stuck.out().all(RoomSnapshot.class).size() == 1
                    && healthy.out().all(RoomSnapshot.class).size() == 1);
            stuck.out().onEvent(() -> stuck.session().writable(false));

            EdgeHarness.Client writer = h.connect("writer", EdgeHarness.ALL);
            int events = 3 * limit;
            for (int sent = 0; sent < events; ) {
                int before = writer.out().acks().size();
                for (int i = 0; i < 8; i++) {
                    writer.session().publish(ROOM, "message", text("m" + sent++), null, null);
                }
                await().until(() -> writer.out().acks().size() == before + 8);
            }

            await().until(() -> stuck.out().closed() != null);
            assertThat(stuck.out().closed().kind()).isEqualTo(CloseReason.Kind.SLOW_CONSUMER);
            assertThat(stuck.session().outbound().queuedMessages()).isZero();
            assertThat(stuck.out().calledAfterClose()).isFalse();
            await().until(() -> healthy.out().seqs(ROOM).size() == events);
            assertThat(healthy.out().seqs(ROOM)).isSorted().doesNotHaveDuplicates();
            assertThat(healthy.out().closed()).isNull();
        }
    }
}
