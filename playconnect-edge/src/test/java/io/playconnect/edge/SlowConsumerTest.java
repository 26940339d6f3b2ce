package io.playconnect.edge;

import io.playconnect.core.RoomId;
import io.playconnect.core.RoomSnapshot;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SlowConsumerTest {
    private static final RoomId ROOM = RoomId.parse("chat.slow");

    private static byte[] text(String s) {
        return ("{\"text\":\"" + s + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aClientThatNeverReadsIsDisconnectedAndItsQueueReleased() {
        int limit = 16;
        try (EdgeHarness h = EdgeHarness.newBuilder().limits(l -> l.outboundQueueMessages(limit)).build()) {
            EdgeHarness.Client stuck = h.connect("stuck", EdgeHarness.ALL);
            EdgeHarness.Client healthy = h.connect("healthy", EdgeHarness.ALL);
            stuck.session().join(ROOM, null);
            healthy.session().join(ROOM, null);
            await().until(() -> stuck.out().all(RoomSnapshot.class).size() == 1
                    && healthy.out().all(RoomSnapshot.class).size() == 1);
            // The transport's buffer is full from the first event on, and never drains.
            stuck.out().onEvent(() -> stuck.session().writable(false));

            EdgeHarness.Client writer = h.connect("writer", EdgeHarness.ALL);
            int events = 3 * limit;
            for (int sent = 0; sent < events; ) {
                int before = writer.out().acks().size();
                for (int i = 0; i < 8; i++) {
                    writer.session().publish(ROOM, "message", text("m" + sent++), null, null);
                }
                await().until(() -> writer.out().acks().size() == before + 8);
                assertThat(stuck.session().outbound().queuedMessages()).isLessThanOrEqualTo(limit);
            }

            await().until(() -> stuck.out().closed() != null);
            assertThat(stuck.out().closed().kind()).isEqualTo(CloseReason.Kind.SLOW_CONSUMER);
            assertThat(stuck.session().isOpen()).isFalse();
            assertThat(stuck.session().outbound().queuedMessages()).isZero();
            assertThat(stuck.session().outbound().queuedBytes()).isZero();
            assertThat(stuck.out().calledAfterClose()).isFalse();
            assertThat(h.counter(EdgeMetrics.SLOW_CONSUMER_DROPS, EdgeMetrics.TAG_PROTOCOL, "websocket")).isEqualTo(1);

            await().until(() -> healthy.out().seqs(ROOM).size() == events);
            assertThat(healthy.out().closed()).isNull();
        }
    }

    @Test
    void aClientThatCatchesUpInTimeStaysConnected() {
        try (EdgeHarness h = EdgeHarness.newBuilder().limits(l -> l.outboundQueueMessages(64)).build()) {
            // No presence scope: only events reach its queue.
            EdgeHarness.Client reader = h.connect("reader", java.util.Map.of("chat.*", java.util.List.of("subscribe")));
            reader.session().join(ROOM, null);
            await().until(() -> reader.out().all(RoomSnapshot.class).size() == 1);
            reader.session().writable(false);
            EdgeHarness.Client writer = h.connect("writer", EdgeHarness.ALL);
            for (int i = 0; i < 10; i++) {
                writer.session().publish(ROOM, "message", text("m" + i), null, null);
            }
            await().until(() -> writer.out().acks().size() == 10 && reader.session().outbound().queuedMessages() == 10);
            assertThat(reader.out().seqs(ROOM)).isEmpty();
            reader.session().writable(true);
            await().until(() -> reader.out().seqs(ROOM).size() == 10);
            assertThat(reader.out().closed()).isNull();
        }
    }

    @Test
    void aBigResumeIsPacedByTheQueueInsteadOfOverflowingIt() {
        int limit = 16;
        try (EdgeHarness h = EdgeHarness.newBuilder().limits(l -> l.outboundQueueMessages(limit)).build()) {
            EdgeHarness.Client writer = h.connect("writer", EdgeHarness.ALL);
            int events = 10 * limit;
            for (int sent = 0; sent < events; ) {
                int before = writer.out().acks().size();
                for (int i = 0; i < 8; i++) {
                    writer.session().publish(ROOM, "message", text("m" + sent++), null, null);
                }
                await().until(() -> writer.out().acks().size() == before + 8);
            }
            String epoch = writer.out().acks().get(0).epoch();
            EdgeHarness.Client late = h.connect("late", EdgeHarness.ALL);
            // A reader slower than the edge: unwritable after every event until the test lets it go on.
            late.out().onEvent(() -> late.session().writable(false));
            late.session().join(ROOM, new io.playconnect.core.StreamPosition(epoch, 0));
            for (int round = 0; late.out().seqs(ROOM).size() < events && round < 10 * events; round++) {
                int seen = late.out().seqs(ROOM).size();
                await().until(() -> late.session().outbound().queuedMessages() > 0 || late.out().seqs(ROOM).size() == events);
                assertThat(late.session().outbound().queuedMessages()).isLessThanOrEqualTo(limit);
                late.session().writable(true);
                await().until(() -> late.out().seqs(ROOM).size() > seen || late.out().closed() != null);
            }
            assertThat(late.out().closed()).isNull();
            assertThat(late.out().seqs(ROOM)).hasSize(events).isSorted().doesNotHaveDuplicates();
        }
    }
}
