package io.playconnect.gateway.grpc;

import io.grpc.stub.StreamObserver;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.RoomId;
import io.playconnect.core.SyncException;
import io.playconnect.edge.auth.Scope;
import io.playconnect.proto.v1.GetPresenceRequest;
import io.playconnect.proto.v1.GetPresenceResponse;
import io.playconnect.proto.v1.GetSnapshotRequest;
import io.playconnect.proto.v1.PublishRequest;
import io.playconnect.proto.v1.PublishResponse;
import io.playconnect.proto.v1.Snapshot;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The unary methods: Publish, GetSnapshot and GetPresence. Each call runs on the edge session of
 * its token ({@link ServiceSessions}), so it is rate limited, scoped and de-duplicated like any
 * other client's; the answer waits at most until the call's deadline.
 */
final class UnaryCalls {
    private final GatewayRuntime rt;

    UnaryCalls(GatewayRuntime rt) {
        this.rt = rt;
    }

    void publish(Parsed<PublishRequest> request, StreamObserver<PublishResponse> out) {
        String correlationId = request.ok() && !request.message().getCorrelationId().isEmpty()
                ? request.message().getCorrelationId() : UUID.randomUUID().toString();
        CallInfo info = CallInfo.current();
        run(out, correlationId, request, () -> {
            PublishRequest r = request.message();
            RoomId room = RoomId.parse(r.getRoom());
            String traceparent = r.getTraceparent().isEmpty() ? info.traceparent() : r.getTraceparent();
            long timeout = rt.answerTimeoutNanos(CallInfo.deadline());
            ServiceSession s = rt.sessions.acquire(info.token(), info.remote());
            return s.ready().thenCompose(p -> {
                s.charge(request.size());
                return s.publish(room, r.getType(), r.getPayload().toByteArray(), correlationId, traceparent, timeout);
            }).thenApply(ack -> PublishResponse.newBuilder().setCorrelationId(ack.correlationId())
                    .setRoom(ack.room().value()).setEpoch(ack.epoch()).setSeq(ack.seq()).build());
        });
    }

    void getSnapshot(Parsed<GetSnapshotRequest> request, StreamObserver<Snapshot> out) {
        CallInfo info = CallInfo.current();
        run(out, null, request, () -> {
            RoomId room = RoomId.parse(request.message().getRoom());
            long timeout = rt.answerTimeoutNanos(CallInfo.deadline());
            ServiceSession s = rt.sessions.acquire(info.token(), info.remote());
            return s.ready().thenCompose(p -> {
                s.charge(request.size());
                if (!p.can(Scope.SUBSCRIBE, room)) {
                    throw new SyncException(ErrorCode.FORBIDDEN, "no subscribe scope for " + room);
                }
                return rt.snapshots.fetch(room, java.time.Duration.ofNanos(timeout));
            }).thenApply(ProtoFrames::snapshotMessage);
        });
    }

    void getPresence(Parsed<GetPresenceRequest> request, StreamObserver<GetPresenceResponse> out) {
        CallInfo info = CallInfo.current();
        run(out, null, request, () -> {
            RoomId room = RoomId.parse(request.message().getRoom());
            long timeout = rt.answerTimeoutNanos(CallInfo.deadline());
            ServiceSession s = rt.sessions.acquire(info.token(), info.remote());
            return s.ready().thenCompose(p -> {
                s.charge(request.size());
                return s.presence(room, timeout);
            }).thenApply(members -> GetPresenceResponse.newBuilder().setRoom(room.value())
                    .addAllMembers(ProtoFrames.members(members)).build());
        });
    }

    /** Runs one call: checks, then answers with the future's value or its typed failure. */
    private <T> void run(StreamObserver<T> out, String correlationId, Parsed<?> request,
                         java.util.function.Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> answer;
        try {
            rt.checkAccepting();
            if (!request.ok()) {
                throw new SyncException(ErrorCode.BAD_REQUEST, request.problem());
            }
            answer = call.get();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((value, err) -> {
            try {
                if (err != null) {
                    out.onError(Statuses.of(err, correlationId));
                } else {
                    out.onNext(value);
                    out.onCompleted();
                }
            } catch (RuntimeException cancelled) {
                // The client cancelled or its deadline passed: nobody is listening any more.
            }
        });
    }
}
