package io.playconnect.edge;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.playconnect.broker.memory.InMemoryBroker;
import io.playconnect.broker.memory.InMemoryPresenceStore;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.RoomId;
import io.playconnect.core.Subjects;
import io.playconnect.core.spi.Subscription;
import io.playconnect.edge.limits.EdgeLimits;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class EdgeTest {
    private static final InetSocketAddress A = new InetSocketAddress("10.0.0.1", 40000);
    private static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 40000);

    @Test
    void theGlobalConnectionCapRefusesAndFreesOnClose() {
        try (EdgeHarness h = EdgeHarness.newBuilder().engine(false).limits(l -> l.maxConnections(2)).build()) {
            EdgeSession one = h.edge.openSession(h.edge.admit("websocket", A), new RecordingOutput());
            h.edge.openSession(h.edge.admit("websocket", B), new RecordingOutput());
            Admission third = h.edge.admit("websocket", null);
            assertThat(third.accepted()).isFalse();
            assertThat(third.code()).isEqualTo(ErrorCode.OVERLOADED);
            assertThat(third.closeReason().kind()).isEqualTo(CloseReason.Kind.OVERLOADED);
            assertThatThrownBy(() -> h.edge.openSession(third, new RecordingOutput()))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(h.counter(EdgeMetrics.SESSIONS_REFUSED, EdgeMetrics.TAG_REASON, "overloaded")).isEqualTo(1);
            assertThat(h.registry.get(EdgeMetrics.CONNECTIONS).tag(EdgeMetrics.TAG_PROTOCOL, "websocket").gauge().value())
                    .isEqualTo(2);

            one.close();
            assertThat(h.edge.admit("websocket", null).accepted()).isTrue();
        }
    }

    @Test
    void perAddressCapsAndRatesApply() {
        MutableClock clock = new MutableClock(Instant.now());
        try (EdgeHarness h = EdgeHarness.newBuilder().engine(false).clock(clock)
                .limits(l -> l.maxConnectionsPerIp(2).connectionsPerSecondPerIp(3)).build()) {
            Admission a1 = h.edge.admit("websocket", A);
            Admission a2 = h.edge.admit("websocket", A);
            Admission a3 = h.edge.admit("websocket", A);
            assertThat(a1.accepted()).isTrue();
            assertThat(a2.accepted()).isTrue();
            assertThat(a3.code()).isEqualTo(ErrorCode.OVERLOADED);
            assertThat(h.edge.admit("websocket", B).accepted()).as("another address").isTrue();

            a1.release();
            a1.release();
            Admission a4 = h.edge.admit("websocket", A);
            assertThat(a4.accepted()).isTrue();
            a4.release();
            a2.release();
            // Three granted from A within the second: the bucket is empty.
            Admission fast = h.edge.admit("websocket", A);
            assertThat(fast.code()).isEqualTo(ErrorCode.RATE_LIMITED);
            clock.advance(Duration.ofSeconds(1));
            assertThat(h.edge.admit("websocket", A).accepted()).isTrue();
        }
    }

    @Test
    void anAdmissionOpensOneSessionOnly() {
        try (EdgeHarness h = EdgeHarness.newBuilder().engine(false).build()) {
            Admission a = h.edge.admit("mqtt", null);
            h.edge.openSession(a, new RecordingOutput());
            assertThatThrownBy(() -> h.edge.openSession(a, new RecordingOutput()))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void drainFinishesCommandsInFlightThenClosesSessionsGoingAway() {
        java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();
        try (EdgeHarness h = EdgeHarness.newBuilder().engine(false).partitions(1)
                .limits(l -> l.commandTimeout(Duration.ofMillis(300))).build();
             Subscription silent = h.broker.subscribe(Subjects.commands(0), m -> received.incrementAndGet())) {
            EdgeHarness.Client a = h.connect("alice", EdgeHarness.ALL);
            EdgeHarness.Client b = h.connect("bob", EdgeHarness.ALL);
            a.session().publish(RoomId.parse("chat.x"), "message", "{}".getBytes(StandardCharsets.UTF_8), "c1", null);
            await().until(() -> received.get() == 1);
            CompletableFuture<Void> drained = h.edge.drain();
            assertThat(h.edge.admit("websocket", null).accepted()).isFalse();
            b.session().publish(RoomId.parse("chat.x"), "message", "{}".getBytes(StandardCharsets.UTF_8), "c2", null);
            drained.join();
            await().until(() -> a.out().closed() != null && b.out().closed() != null);
            assertThat(a.out().closed().kind()).isEqualTo(CloseReason.Kind.GOING_AWAY);
            // The command in flight was answered before the close.
            assertThat(a.out().errors()).extracting(EdgeError::code).containsExactly(ErrorCode.OUTCOME_UNKNOWN);
            assertThat(a.out().calls.get(a.out().calls.size() - 1)).isInstanceOf(CloseReason.class);
            assertThat(b.out().errors()).extracting(EdgeError::code).containsExactly(ErrorCode.UNAVAILABLE);
            assertThat(h.edge.sessionCount()).isZero();
        }
    }

    @Test
    void theBuilderValidatesWithTheParameterName() {
        try (InMemoryBroker broker = InMemoryBroker.newBuilder().maxMessageSize(32 * 1024).build();
             InMemoryPresenceStore presence = InMemoryPresenceStore.newBuilder().build()) {
            Edge.Builder b = Edge.newBuilder().presenceStore(presence).tokenVerifier(t -> null);
            assertThatThrownBy(b::build).hasMessageContaining("broker");
            b.broker(broker);
            assertThatThrownBy(b::build).hasMessageContaining("limits.maxPayloadBytes");
            b.limits(EdgeLimits.newBuilder().maxPayloadBytes(1024).build()).meterRegistry(new SimpleMeterRegistry());
            try (Edge edge = b.build()) {
                assertThat(edge.limits().maxPayloadBytes()).isEqualTo(1024);
            }
            assertThatThrownBy(() -> Edge.newBuilder().gatewayId("has space")).hasMessageContaining("gatewayId");
            assertThatThrownBy(() -> Edge.newBuilder().partitions(0)).hasMessageContaining("partitions");
            assertThatThrownBy(() -> Edge.newBuilder().presenceHeartbeat(Duration.ZERO))
                    .hasMessageContaining("presenceHeartbeat");
        }
    }

    @Test
    void closingTheEdgeClosesItsSessions() {
        EdgeHarness h = EdgeHarness.newBuilder().engine(false).build();
        EdgeHarness.Client c = h.connect("alice", EdgeHarness.ALL);
        h.close();
        await().until(() -> c.out().closed() != null);
        assertThat(c.out().closed().kind()).isEqualTo(CloseReason.Kind.GOING_AWAY);
        assertThat(h.edge.admit("websocket", null).accepted()).isFalse();
    }
}
