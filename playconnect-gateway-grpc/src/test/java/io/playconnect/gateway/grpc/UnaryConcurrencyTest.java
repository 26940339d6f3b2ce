package io.playconnect.gateway.grpc;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.playconnect.core.RoomId;
import io.playconnect.core.spi.LogRecord;
import io.playconnect.proto.v1.PublishRequest;
import io.playconnect.proto.v1.PublishResponse;
import io.playconnect.proto.v1.SyncServiceGrpc;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Unary publishes of one token to one room do not wait for each other: while the engine is held
 * (a {@link HeldBroker} in front of the edge's broker), every one of them has already reached it;
 * once it answers, each call gets its own answer, each command is stored once and the room's seqs
 * have no gap. The edge's bound on what one token may have outstanding per room still holds.
 */
class UnaryConcurrencyTest {

    @Test
    void concurrentPublishesToOneRoomAreInFlightTogetherAndEachStoredOnce() {
        HeldBroker[] held = new HeldBroker[1];
        try (GrpcFixture server = GrpcFixture.newBuilder()
                .edgeBroker(b -> held[0] = new HeldBroker(b)).build()) {
            String room = "chat.unaryburst" + GrpcFixture.nextRoom();
            SyncServiceGrpc.SyncServiceStub stub = server.stub(server.token("legacy"));
            int n = 40;
            Results results = new Results();
            for (int i = 0; i < n; i++) {
                publish(stub, room, "c" + i, results);
            }
            publish(stub, room, "c0", results); // a retry of c0 while c0 is still in flight
            // Before: one in flight, 16 queued behind it, the rest refused. Now all are at the engine.
            await().atMost(Duration.ofSeconds(10)).until(() -> held[0].held() == n + 1);
            assertThat(results.answered()).isZero();
            held[0].release();
            await().atMost(Duration.ofSeconds(10)).until(() -> results.answered() == n + 1);
            assertThat(results.errors).isEmpty();
            assertThat(results.seqs.keySet()).hasSize(n);
            assertThat(results.seqs.get("c0")).as("the retry gets c0's own seq").hasSize(2).containsOnly(
                    results.seqs.get("c0").get(0));
            long[] seqs = results.seqs.values().stream().mapToLong(l -> l.get(0)).sorted().toArray();
            assertThat(seqs).containsExactly(LongStream.rangeClosed(1, n).toArray());
            List<LogRecord> stored = server.stored(RoomId.parse(room));
            assertThat(stored).hasSize(n);
        }
    }

    @Test
    void whatOneTokenMayHaveOutstandingPerRoomIsStillBounded() {
        HeldBroker[] held = new HeldBroker[1];
        try (GrpcFixture server = GrpcFixture.newBuilder()
                .limits(l -> l.maxRequestCommandsInFlightPerRoom(4).maxQueuedCommandsPerRoom(2))
                .edgeBroker(b -> held[0] = new HeldBroker(b)).build()) {
            String room = "chat.unarybound" + GrpcFixture.nextRoom();
            SyncServiceGrpc.SyncServiceStub stub = server.stub(server.token("flood"));
            Results results = new Results();
            for (int i = 0; i < 8; i++) {
                publish(stub, room, "f" + i, results);
            }
            // Four at the engine, two waiting, two refused with the edge's typed rate_limited.
            await().atMost(Duration.ofSeconds(10)).until(() -> held[0].held() == 4 && results.errors.size() == 2);
            assertThat(results.errors.values()).containsOnly(Status.Code.RESOURCE_EXHAUSTED);
            held[0].release();
            await().atMost(Duration.ofSeconds(10)).until(() -> results.answered() == 8);
            assertThat(results.seqs).hasSize(6);
            assertThat(server.stored(RoomId.parse(room))).hasSize(6);
        }
    }

    @Test
    void answersReleasedTogetherDoNotOverflowTheSessionsQueue() {
        HeldBroker[] held = new HeldBroker[1];
        try (GrpcFixture server = GrpcFixture.newBuilder().limits(l -> l.outboundQueueMessages(4))
                .edgeBroker(b -> held[0] = new HeldBroker(b)).build()) {
            String room = "chat.unaryanswers" + GrpcFixture.nextRoom();
            SyncServiceGrpc.SyncServiceStub stub = server.stub(server.token("backlog"));
            int n = 40;
            Results results = new Results();
            for (int i = 0; i < n; i++) {
                publish(stub, room, "a" + i, results);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> held[0].held() == n);
            // Forty answers at once, ten times the session's queue: each is handed over as it
            // comes, so the session is not closed as a slow consumer.
            held[0].release();
            await().atMost(Duration.ofSeconds(10)).until(() -> results.answered() == n);
            assertThat(results.errors).isEmpty();
            assertThat(results.seqs).hasSize(n);
        }
    }

    private static void publish(SyncServiceGrpc.SyncServiceStub stub, String room, String correlationId,
                                Results results) {
        stub.withDeadlineAfter(20, TimeUnit.SECONDS).publish(PublishRequest.newBuilder().setRoom(room)
                .setType("message").setCorrelationId(correlationId)
                .setPayload(ByteString.copyFromUtf8("{\"text\":\"" + correlationId + "\"}")).build(),
                new StreamObserver<>() {
                    @Override
                    public void onNext(PublishResponse r) {
                        results.seqs.computeIfAbsent(correlationId, k -> new CopyOnWriteArrayList<>()).add(r.getSeq());
                    }

                    @Override
                    public void onError(Throwable t) {
                        results.errors.put(correlationId, Status.fromThrowable(t).getCode());
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
    }

    private static final class Results {
        final Map<String, List<Long>> seqs = new ConcurrentHashMap<>();
        final Map<String, Status.Code> errors = new ConcurrentHashMap<>();

        int answered() {
            return seqs.values().stream().mapToInt(List::size).sum() + errors.size();
        }
    }
}
