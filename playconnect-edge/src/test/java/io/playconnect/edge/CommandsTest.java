package io.playconnect.edge;

import io.playconnect.core.ErrorCode;
import io.playconnect.core.RoomId;
import io.playconnect.core.RoomSnapshot;
import io.playconnect.core.Subjects;
import io.playconnect.core.spi.Subscription;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class CommandsTest {
    private static final RoomId LOBBY = RoomId.parse("chat.lobby");

    private static byte[] text(String s) {
        return ("{\"text\":\"" + s + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void joinGetsSnapshotThenEventsAndPublishIsAcked() {
        try (EdgeHarness h = EdgeHarness.create()) {
            EdgeHarness.Client alice = h.connect("alice", EdgeHarness.ALL);
            alice.session().join(LOBBY, null);
            await().until(() -> alice.out().all(RoomSnapshot.class).size() == 1);
            alice.session().publish(LOBBY, "message", text("hi"), "c-1", null);

            await().until(() -> alice.out().acks().size() == 1 && alice.out().seqs(LOBBY).size() == 1);
            RecordingOutput.Ack ack = alice.out().acks().get(0);
            assertThat(ack.correlationId()).isEqualTo("c-1");
            assertThat(ack.seq()).isEqualTo(1);
            assertThat(alice.out().joined(LOBBY)).containsExactly(
                    new RecordingOutput.Joined(LOBBY, ack.epoch(), 0, false));
            RecordingOutput.Delivered d = alice.out().events(LOBBY).get(0);
            assertThat(d.encoded()).contains("\"type\":\"chat.message\"").contains("\"correlationId\":\"c-1\"")
                    .contains("\"protocol\":\"websocket\"").contains("\"user\":\"alice\"");
            // joined, then the snapshot, then events.
            assertThat(alice.out().calls.get(0)).isInstanceOf(RecordingOutput.Joined.class);
            assertThat(alice.out().calls.get(1)).isInstanceOf(RoomSnapshot.class);
            assertThat(alice.out().overlapped()).isFalse();
        }
    }

    @Test
    void commandsSentBackToBackAreAppliedAndAckedInOrder() {
        try (EdgeHarness h = EdgeHarness.create()) {
            EdgeHarness.Client alice = h.connect("alice", EdgeHarness.ALL);
            alice.session().join(LOBBY, null);
            // Joined first, so that every message arrives as an event rather than inside the snapshot.
            await().until(() -> alice.out().all(RoomSnapshot.class).size() == 1);
            int n = 12;
            for (int i = 0; i < n; i++) {
                alice.session().publish(LOBBY, "chat.message", text("m" + i), "c" + i, null);
            }
            await().until(() -> alice.out().acks().size() == n && alice.out().seqs(LOBBY).size() == n);
            List<String> ackOrder = alice.out().acks().stream().map(RecordingOutput.Ack::correlationId).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                expected.add("c" + i);
            }
            assertThat(ackOrder).isEqualTo(expected);
            assertThat(alice.out().acks().stream().map(RecordingOutput.Ack::seq).toList())
                    .isEqualTo(alice.out().seqs(LOBBY));
            for (int i = 0; i < n; i++) {
                assertThat(alice.out().events(LOBBY).get(i).encoded()).contains("\"text\":\"m" + i + "\"");
            }
        }
    }

    @Test
    void publishWithoutOwnerIsRetriedUntilTheEngineStarts() {
        try (EdgeHarness h = EdgeHarness.newBuilder().engine(false).build()) {
            EdgeHarness.Client alice = h.connect("alice", EdgeHarness.ALL);
            alice.session().publish(LOBBY, "message", text("early"), "c-early", null);
            // The publish is in flight, retried with backoff; nothing answered yet.
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2))
                    .until(() -> alice.out().calls.isEmpty());
            h.startEngine();
            await().until(() -> alice.out().acks().size() == 1);
            assertThat(alice.out().acks().get(0).correlationId()).isEqualTo("c-early");
            assertThat(alice.out().acks().get(0).seq()).isEqualTo(1);
            assertThat(alice.out().errors()).isEmpty();
        }
    }

    @Test
    void noOwnerUntilTheDeadlineIsReportedAsNoOwner() {
        try (EdgeHarness h = EdgeHarness.newBuilder().engine(false)
                .limits(l -> l.commandTimeout(Duration.ofMillis(300))).build()) {
            EdgeHarness.Client alice = h.connect("alice", EdgeHarness.ALL);
            alice.session().publish(LOBBY, "message", text("x"), "c-1", null);
            await().until(() -> alice.out().errors().size() == 1);
            EdgeError e = alice.out().errors().get(0);
            assertThat(e.code()).isEqualTo(ErrorCode.NO_OWNER);
            assertThat(e.retry()).isTrue();
            assertThat(e.correlationId()).isEqualTo("c-1");
        }
    }

    @Test
    void anEngineThatNeverAnswersGivesOutcomeUnknown() {
        try (EdgeHarness h = EdgeHarness.newBuilder().engine(false).partitions(1)
                .limits(l -> l.commandTimeout(Duration.ofMillis(300))).build();
             Subscription silent = h.broker.subscribe(Subjects.commands(0), m -> { })) {
            EdgeHarness.Client alice = h.connect("alice", EdgeHarness.ALL);
            alice.session().publish(LOBBY, "message", text("x"), null, null);
            await().until(() -> alice.out().errors().size() == 1);
            EdgeError e = alice.out().errors().get(0);
            assertThat(e.code()).isEqualTo(ErrorCode.OUTCOME_UNKNOWN);
            assertThat(e.correlationId()).as("a minted correlationId").isNotBlank();
            assertThat(alice.out().acks()).isEmpty();
        }
    }

    @Test
    void commandsBeyondTheRoomQueueAreRateLimited() {
        AtomicInteger received = new AtomicInteger();
        try (EdgeHarness h = EdgeHarness.newBuilder().engine(false).partitions(1)
                .limits(l -> l.maxQueuedCommandsPerRoom(2).commandTimeout(Duration.ofSeconds(2))).build();
             Subscription silent = h.broker.subscribe(Subjects.commands(0), m -> received.incrementAndGet())) {
            EdgeHarness.Client alice = h.connect("alice", EdgeHarness.ALL);
            for (int i = 0; i < 5; i++) {
                alice.session().publish(LOBBY, "message", text("m" + i), "c" + i, null);
            }
            await().until(() -> alice.out().errors().size() == 2);
            assertThat(alice.out().errors()).extracting(EdgeError::code)
                    .containsOnly(ErrorCode.RATE_LIMITED);
            assertThat(alice.out().errors()).extracting(EdgeError::correlationId).containsExactly("c3", "c4");
            // One in flight: the engine has seen only the first.
            assertThat(received.get()).isEqualTo(1);
        }
    }

    @Test
    void engineRejectionsArriveAsTypedErrors() {
        try (EdgeHarness h = EdgeHarness.create()) {
            RoomId game = RoomId.parse("game.g1");
            EdgeHarness.Client alice = h.connect("alice", EdgeHarness.ALL);
            alice.session().publish(game, "move", "{\"move\":\"e5e1\"}".getBytes(StandardCharsets.UTF_8), "bad", null);
            alice.session().publish(game, "move", "{\"move\":\"e4\"}".getBytes(StandardCharsets.UTF_8), "good", null);
            await().until(() -> alice.out().errors().size() == 1 && alice.out().acks().size() == 1);
            assertThat(alice.out().errors().get(0).code()).isEqualTo(ErrorCode.ILLEGAL_MOVE);
            assertThat(alice.out().errors().get(0).correlationId()).isEqualTo("bad");
            assertThat(alice.out().acks().get(0).correlationId()).isEqualTo("good");
        }
    }

    @Test
    void publishingToARoomNotJoinedIsAllowedByScopeButDeliversNoEvents() {
        try (EdgeHarness h = EdgeHarness.create()) {
            EdgeHarness.Client pub = h.connect("svc", java.util.Map.of("chat.*", List.of("publish")));
            pub.session().publish(LOBBY, "message", text("from a backend"), "c1", null);
            await().until(() -> pub.out().acks().size() == 1);
            assertThat(pub.out().all(RecordingOutput.Delivered.class)).isEmpty();
        }
    }

    @Test
    void aRetryWithTheSameCorrelationIdGetsTheOriginalAck() {
        try (EdgeHarness h = EdgeHarness.create()) {
            EdgeHarness.Client alice = h.connect("alice", EdgeHarness.ALL);
            alice.session().publish(LOBBY, "message", text("once"), "same", null);
            alice.session().publish(LOBBY, "message", text("once"), "same", null);
            await().until(() -> alice.out().acks().size() == 2);
            assertThat(alice.out().acks().get(0).seq()).isEqualTo(alice.out().acks().get(1).seq());
        }
    }
}
