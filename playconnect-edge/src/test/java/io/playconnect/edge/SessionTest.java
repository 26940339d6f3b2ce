package io.playconnect.edge;

import io.playconnect.core.ErrorCode;
import io.playconnect.core.RoomId;
import io.playconnect.core.RoomSnapshot;
import io.playconnect.core.Subjects;
import io.playconnect.core.SyncException;
import io.playconnect.core.spi.Subscription;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class SessionTest {
    private static final RoomId LOBBY = RoomId.parse("chat.lobby");
    private static final byte[] HI = "{\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8);

    private static ErrorCode codeOf(Throwable t) {
        return ((SyncException) (t instanceof CompletionException ? t.getCause() : t)).code();
    }

    @Test
    void aBadFirstTokenIsAnErrorAndAClose() {
        try (EdgeHarness h = EdgeHarness.newBuilder().engine(false).build()) {
            EdgeHarness.Client c = h.open("websocket");
            assertThatThrownBy(() -> c.session().authenticate("not.a.jwt").join())
                    .satisfies(t -> assertThat(codeOf(t)).isEqualTo(ErrorCode.UNAUTHENTICATED));
            await().until(() -> c.out().closed() != null);
            assertThat(c.out().errors()).extracting(EdgeError::code).containsExactly(ErrorCode.UNAUTHENTICATED);
            assertThat(c.out().closed().kind()).isEqualTo(CloseReason.Kind.UNAUTHENTICATED);
            assertThat(h.edge.sessionCount()).isZero();
        }
    }

    @Test
    void anExpiredFirstTokenClosesWithTokenExpired() {
        try (EdgeHarness h = EdgeHarness.newBuilder().engine(false).build()) {
            EdgeHarness.Client c = h.open("websocket");
            String old = h.token("alice", EdgeHarness.ALL, Instant.now().minus(Duration.ofMinutes(5)));
            assertThatThrownBy(() -> c.session().authenticate(old).join())
                    .satisfies(t -> assertThat(codeOf(t)).isEqualTo(ErrorCode.TOKEN_EXPIRED));
            await().until(() -> c.out().closed() != null);
            assertThat(c.out().closed().kind()).isEqualTo(CloseReason.Kind.TOKEN_EXPIRED);
        }
    }

    @Test
    void noTokenWithinTheDeadlineCloses() {
        try (EdgeHarness h = EdgeHarness.newBuilder().engine(false)
                .limits(l -> l.authDeadline(Duration.ofMillis(100))).build()) {
            EdgeHarness.Client c = h.open("websocket");
            await().until(() -> c.out().closed() != null);
            assertThat(c.out().closed().kind()).isEqualTo(CloseReason.Kind.UNAUTHENTICATED);
        }
    }

    @Test
    void requestsWaitForAPendingFirstTokenAndFailWithoutOne() {
        try (EdgeHarness h = EdgeHarness.create()) {
            EdgeHarness.Client early = h.open("websocket");
            early.session().join(LOBBY, null);
            await().until(() -> early.out().errors().size() == 1);
            assertThat(early.out().errors().get(0).code()).isEqualTo(ErrorCode.UNAUTHENTICATED);

            EdgeHarness.Client c = h.open("websocket");
            c.session().authenticate(h.token("alice", EdgeHarness.ALL));
            c.session().join(LOBBY, null);
            c.session().publish(LOBBY, "message", HI, "c1", null);
            await().until(() -> c.out().acks().size() == 1 && c.out().joined(LOBBY).size() == 1);
            assertThat(c.out().errors()).isEmpty();
        }
    }

    @Test
    void theSessionClosesWhenItsTokenExpires() {
        // Token times are whole seconds.
        MutableClock clock = new MutableClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        try (EdgeHarness h = EdgeHarness.newBuilder().engine(false).clock(clock).build()) {
            EdgeHarness.Client c = h.open("websocket");
            // Within the verifier's 30 s skew, a second before it runs out.
            Instant exp = clock.instant().minus(Duration.ofSeconds(29));
            c.session().authenticate(h.token("alice", EdgeHarness.ALL, exp)).join();
            await().until(() -> c.out().closed() != null);
            assertThat(c.out().closed().kind()).isEqualTo(CloseReason.Kind.TOKEN_EXPIRED);
        }
    }

    @Test
    void aRefreshKeepsTheSessionPastTheFirstTokensExpiry() {
        MutableClock clock = new MutableClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        try (EdgeHarness h = EdgeHarness.newBuilder().engine(false).clock(clock).build()) {
            EdgeHarness.Client c = h.open("websocket");
            Instant soon = clock.instant().minus(Duration.ofSeconds(29));
            c.session().authenticate(h.token("alice", EdgeHarness.ALL, soon)).join();
            c.session().authenticate(h.token("alice", EdgeHarness.ALL)).join();
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> c.out().closed() == null);
            assertThat(c.session().principal().expiresAt()).isAfter(clock.instant().plus(Duration.ofMinutes(30)));
        }
    }

    @Test
    void aRefreshForAnotherUserIsRefusedAndTheSessionStays() {
        try (EdgeHarness h = EdgeHarness.newBuilder().engine(false).build()) {
            EdgeHarness.Client c = h.connect("alice", EdgeHarness.ALL);
            assertThatThrownBy(() -> c.session().authenticate(h.token("mallory", EdgeHarness.ALL)).join())
                    .satisfies(t -> assertThat(codeOf(t)).isEqualTo(ErrorCode.UNAUTHENTICATED));
            assertThat(c.session().principal().user()).isEqualTo("alice");
            assertThat(c.session().isOpen()).isTrue();
        }
    }

    @Test
    void aRefreshThatDropsTheSubscribeScopeLeavesTheRoom() {
        try (EdgeHarness h = EdgeHarness.create()) {
            EdgeHarness.Client c = h.connect("alice", EdgeHarness.ALL);
            c.session().join(LOBBY, null);
            await().until(() -> c.out().all(RoomSnapshot.class).size() == 1);
            c.session().authenticate(h.token("alice", Map.of("game.*", List.of("subscribe")))).join();
            await().until(() -> c.out().errors().size() == 1);
            assertThat(c.out().errors().get(0).code()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(c.out().errors().get(0).room()).isEqualTo(LOBBY);
            assertThat(c.session().joinedRooms().join()).isZero();
        }
    }

    @Test
    void scopesAreCheckedPerOperation() {
        try (EdgeHarness h = EdgeHarness.create()) {
            EdgeHarness.Client c = h.connect("alice", Map.of("chat.lobby", List.of("subscribe"),
                    "game.*", List.of("publish")));
            c.session().join(RoomId.parse("chat.other"), null);
            c.session().publish(LOBBY, "message", HI, "p1", null);
            c.session().presence(LOBBY);
            c.session().join(RoomId.parse("game.1"), null);
            await().until(() -> c.out().errors().size() == 4);
            assertThat(c.out().errors()).extracting(EdgeError::code).containsOnly(ErrorCode.FORBIDDEN);
            assertThat(c.out().errors().get(1).correlationId()).isEqualTo("p1");
            c.session().join(LOBBY, null);
            await().until(() -> c.out().joined(LOBBY).size() == 1);
            assertThat(h.counter(EdgeMetrics.REJECTIONS, EdgeMetrics.TAG_CODE, "forbidden")).isEqualTo(4);
        }
    }

    @Test
    void badCommandsAreRefusedBeforeTheEngine() {
        AtomicInteger reachedEngine = new AtomicInteger();
        try (EdgeHarness h = EdgeHarness.newBuilder().engine(false).partitions(1)
                .limits(l -> l.maxPayloadBytes(100)).build();
             Subscription engine = h.broker.subscribe(Subjects.commands(0), m -> reachedEngine.incrementAndGet())) {
            EdgeHarness.Client c = h.connect("alice", EdgeHarness.ALL);
            byte[] big = ("{\"text\":\"" + "x".repeat(100) + "\"}").getBytes(StandardCharsets.UTF_8);
            c.session().publish(LOBBY, "message", big, "big", null);
            c.session().publish(LOBBY, "message", "{\"text\":".getBytes(StandardCharsets.UTF_8), "broken", null);
            c.session().publish(LOBBY, "message", "{} {}".getBytes(StandardCharsets.UTF_8), "two", null);
            c.session().publish(LOBBY, "game.move", HI, "kind", null);
            c.session().publish(LOBBY, "message", HI, "x".repeat(200), null);
            c.session().publish(LOBBY, "", HI, "notype", null);
            await().until(() -> c.out().errors().size() == 6);
            assertThat(c.out().errors()).extracting(EdgeError::code).containsExactly(ErrorCode.PAYLOAD_TOO_LARGE,
                    ErrorCode.BAD_PAYLOAD, ErrorCode.BAD_PAYLOAD, ErrorCode.UNKNOWN_TYPE, ErrorCode.BAD_REQUEST,
                    ErrorCode.UNKNOWN_TYPE);
            assertThat(reachedEngine.get()).isZero();
        }
    }

    @Test
    void roomsPerSessionAreCapped() {
        try (EdgeHarness h = EdgeHarness.newBuilder().limits(l -> l.maxRoomsPerSession(2)).build()) {
            EdgeHarness.Client c = h.connect("alice", EdgeHarness.ALL);
            c.session().join(RoomId.parse("chat.a"), null);
            c.session().join(RoomId.parse("chat.b"), null);
            c.session().join(RoomId.parse("chat.a"), null);
            c.session().join(RoomId.parse("chat.c"), null);
            await().until(() -> c.out().errors().size() == 1);
            assertThat(c.out().errors().get(0).code()).isEqualTo(ErrorCode.RATE_LIMITED);
            assertThat(c.out().errors().get(0).room()).isEqualTo(RoomId.parse("chat.c"));
        }
    }

    @Test
    void inboundMessagesAreRateLimitedPerConnection() {
        MutableClock clock = new MutableClock(Instant.now());
        try (EdgeHarness h = EdgeHarness.newBuilder().engine(false).clock(clock)
                .limits(l -> l.messagesPerSecond(2).messageBurst(3).maxPayloadBytes(100).bytesPerSecond(250)).build()) {
            EdgeHarness.Client c = h.connect("alice", EdgeHarness.ALL);
            assertThat(c.session().inboundMessage(10)).isTrue();
            assertThat(c.session().inboundMessage(10)).isTrue();
            assertThat(c.session().inboundMessage(10)).isTrue();
            assertThat(c.session().inboundMessage(10)).isFalse();
            assertThat(c.session().inboundMessage(10)).isFalse();
            await().until(() -> c.out().errors().size() == 1);
            assertThat(c.out().errors().get(0).code()).isEqualTo(ErrorCode.RATE_LIMITED);
            assertThat(c.out().errors().get(0).retry()).isTrue();

            clock.advance(Duration.ofSeconds(1));
            assertThat(c.session().inboundMessage(100)).isTrue();
            assertThat(c.session().inboundMessage(100)).as("bytes bucket has 220 left").isTrue();
            clock.advance(Duration.ofSeconds(1));
            assertThat(c.session().inboundMessage(100)).isTrue();
            assertThat(c.session().inboundMessage(100)).as("bytes: 20 + 250 - 200 left").isTrue();
            clock.advance(Duration.ofMillis(500));
            assertThat(c.session().inboundMessage(100)).as("one message token, 195 bytes").isTrue();
            assertThat(c.session().inboundMessage(100)).as("no message token").isFalse();
            assertThat(h.counter(EdgeMetrics.FRAMES_IN, EdgeMetrics.TAG_PROTOCOL, "websocket")).isEqualTo(11);
        }
    }

    @Test
    void aClientThatKeepsFloodingIsClosedForPolicy() {
        MutableClock clock = new MutableClock(Instant.now());
        try (EdgeHarness h = EdgeHarness.newBuilder().engine(false).clock(clock)
                .limits(l -> l.messagesPerSecond(1).messageBurst(1)).build()) {
            EdgeHarness.Client c = h.connect("alice", EdgeHarness.ALL);
            int accepted = 0;
            for (int i = 0; i < 200; i++) {
                accepted += c.session().inboundMessage(1) ? 1 : 0;
            }
            assertThat(accepted).isEqualTo(1);
            await().until(() -> c.out().closed() != null);
            assertThat(c.out().closed().kind()).isEqualTo(CloseReason.Kind.POLICY);
            assertThat(c.out().errors()).extracting(EdgeError::code).containsExactly(ErrorCode.RATE_LIMITED);
        }
    }

    @Test
    void aKickClosesOnceAndNothingFollows() {
        try (EdgeHarness h = EdgeHarness.create()) {
            EdgeHarness.Client c = h.connect("alice", EdgeHarness.ALL);
            c.session().join(LOBBY, null);
            await().until(() -> c.out().joined(LOBBY).size() == 1);
            c.session().close(new CloseReason(CloseReason.Kind.KICKED, "bye"));
            c.session().close();
            c.session().reportError(ErrorCode.BAD_REQUEST, "late", null);
            await().until(() -> c.out().closed() != null);
            EdgeHarness.Client w = h.connect("writer", EdgeHarness.ALL);
            w.session().publish(LOBBY, "message", HI, null, null);
            await().until(() -> w.out().acks().size() == 1);
            assertThat(c.out().closed()).isEqualTo(new CloseReason(CloseReason.Kind.KICKED, "bye"));
            assertThat(c.out().calledAfterClose()).isFalse();
            assertThat(h.edge.sessionCount()).isEqualTo(1);
        }
    }

    @Test
    void gatewayErrorsGoThroughTheSession() {
        try (EdgeHarness h = EdgeHarness.newBuilder().engine(false).build()) {
            EdgeHarness.Client c = h.connect("alice", EdgeHarness.ALL);
            c.session().reportError(ErrorCode.UNKNOWN_OP, "unknown op: dance", "x1");
            c.session().frameWritten(42);
            await().until(() -> c.out().errors().size() == 1);
            assertThat(c.out().errors().get(0)).isEqualTo(new EdgeError(ErrorCode.UNKNOWN_OP, "unknown op: dance", "x1", null));
            assertThat(h.counter(EdgeMetrics.BYTES_OUT, EdgeMetrics.TAG_PROTOCOL, "websocket")).isEqualTo(42);
        }
    }

    @Test
    void aJoinTheEngineRefusesIsAnErrorAndLeavesNothingBehind() {
        try (EdgeHarness h = EdgeHarness.create()) {
            EdgeHarness.Client c = h.connect("alice", EdgeHarness.ALL);
            RoomId unknown = RoomId.parse("nosuchkind.1");
            c.session().join(unknown, null);
            await().until(() -> c.out().errors().size() == 1);
            EdgeError e = c.out().errors().get(0);
            assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_KIND);
            assertThat(e.room()).isEqualTo(unknown);
            assertThat(c.out().joined(unknown)).isEmpty();
            await().until(() -> c.session().joinedRooms().join() == 0 && h.edge.openRooms() == 0);
        }
    }
}
