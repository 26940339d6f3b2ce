package io.playconnect.edge;

import io.playconnect.core.ErrorCode;
import io.playconnect.core.RoomId;
import io.playconnect.core.Subjects;
import io.playconnect.core.spi.Subscription;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Request sessions ({@link Edge#openRequestSession}): several commands to one room in flight at
 * once, bounded by the window and the room's queue; each still stored once, seqs gapless.
 */
class RequestSessionTest {
    private static final RoomId LOBBY = RoomId.parse("chat.lobby");

    @Test
    void commandsToOneRoomGoToTheEngineTogetherUpToTheWindow() {
        AtomicInteger received = new AtomicInteger();
        try (EdgeHarness h = EdgeHarness.newBuilder().engine(false).partitions(1)
                .limits(l -> l.maxRequestCommandsInFlightPerRoom(4).maxQueuedCommandsPerRoom(2)
                        .commandTimeout(Duration.ofSeconds(2))).build();
             Subscription held = h.broker.subscribe(Subjects.commands(0), m -> received.incrementAndGet())) {
            EdgeHarness.Client service = requestSession(h, "matchmaker");
            for (int i = 0; i < 8; i++) {
                service.session().publish(LOBBY, "message", text("m" + i), "c" + i, null);
            }
            // The engine answers nothing, yet four reached it: none waits for another's answer.
            await().until(() -> received.get() == 4 && service.out().errors().size() == 2);
            assertThat(service.out().errors()).extracting(EdgeError::code).containsOnly(ErrorCode.RATE_LIMITED);
            assertThat(service.out().errors()).extracting(EdgeError::correlationId).containsExactly("c6", "c7");
        }
    }

    @Test
    void aClientSessionStillSendsOneAtATime() {
        AtomicInteger received = new AtomicInteger();
        try (EdgeHarness h = EdgeHarness.newBuilder().engine(false).partitions(1)
                .limits(l -> l.maxRequestCommandsInFlightPerRoom(4).commandTimeout(Duration.ofSeconds(2))).build();
             Subscription held = h.broker.subscribe(Subjects.commands(0), m -> received.incrementAndGet())) {
            EdgeHarness.Client alice = h.connect("alice", EdgeHarness.ALL);
            EdgeHarness.Client service = requestSession(h, "bot");
            for (int i = 0; i < 3; i++) {
                alice.session().publish(LOBBY, "message", text("a" + i), "a" + i, null);
            }
            service.session().publish(LOBBY, "message", text("s"), "s", null);
            // Alice's first plus the service's one; Alice's other two wait behind hers.
            await().until(() -> received.get() == 2);
            assertThat(alice.out().errors()).isEmpty();
        }
    }

    @Test
    void concurrentCommandsAreEachStoredOnceWithGaplessSeqs() {
        try (EdgeHarness h = EdgeHarness.create()) {
            EdgeHarness.Client service = requestSession(h, "legacy");
            int n = 40;
            for (int i = 0; i < n; i++) {
                service.session().publish(LOBBY, "message", text("m" + i), "c" + i, null);
            }
            service.session().publish(LOBBY, "message", text("m0"), "c0", null);
            await().until(() -> service.out().acks().size() == n + 1);
            assertThat(service.out().errors()).isEmpty();
            List<RecordingOutput.Ack> acks = service.out().acks();
            long[] seqs = acks.stream().filter(a -> !a.correlationId().equals("c0"))
                    .mapToLong(RecordingOutput.Ack::seq).sorted().toArray();
            long first = seqs[0];
            assertThat(seqs).containsExactly(LongStream.range(first, first + n - 1).toArray());
            // The retry of c0 is answered with c0's own seq, not stored again.
            assertThat(acks.stream().filter(a -> a.correlationId().equals("c0")).map(RecordingOutput.Ack::seq)
                    .distinct()).hasSize(1);
            assertThat(acks.stream().mapToLong(RecordingOutput.Ack::seq).distinct().count()).isEqualTo(n);
        }
    }

    @Test
    void theWindowMustBePositive() {
        assertThatThrownBy(() -> io.playconnect.edge.limits.EdgeLimits.newBuilder().maxRequestCommandsInFlightPerRoom(0))
                .hasMessageContaining("maxRequestCommandsInFlightPerRoom");
    }

    private static EdgeHarness.Client requestSession(EdgeHarness h, String user) {
        Admission a = h.edge.admit("grpc", null);
        RecordingOutput out = new RecordingOutput();
        EdgeHarness.Client c = new EdgeHarness.Client(h.edge.openRequestSession(a, out), out);
        c.session().authenticate(h.token(user, EdgeHarness.ALL)).join();
        return c;
    }

    private static byte[] text(String s) {
        return ("{\"text\":\"" + s + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
