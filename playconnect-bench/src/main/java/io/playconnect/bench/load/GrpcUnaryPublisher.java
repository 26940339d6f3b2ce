package io.playconnect.bench.load;

import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import io.playconnect.proto.v1.PublishRequest;
import io.playconnect.proto.v1.PublishResponse;
import io.playconnect.proto.v1.SyncServiceGrpc;

import com.google.protobuf.UnsafeByteOperations;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Unary {@code Publish} calls spread round robin over a few channels. */
final class GrpcUnaryPublisher {
    /** Longer than the server's command timeout, so its own answer (or outcome_unknown) arrives first. */
    static final long DEADLINE_MS = 10_000;
    static final String TYPE = "chat.message";

    private final SyncServiceGrpc.SyncServiceStub[] stubs;
    private final AtomicLong next = new AtomicLong();

    GrpcUnaryPublisher(Channel[] channels) {
        stubs = new SyncServiceGrpc.SyncServiceStub[channels.length];
        for (int i = 0; i < channels.length; i++) {
            stubs[i] = SyncServiceGrpc.newStub(channels[i]);
        }
    }

    CompletableFuture<Long> publish(String room, byte[] payload, String correlationId) {
        PublishRequest request = PublishRequest.newBuilder().setRoom(room).setType(TYPE)
                .setPayload(UnsafeByteOperations.unsafeWrap(payload)).setCorrelationId(correlationId).build();
        CompletableFuture<Long> answer = new CompletableFuture<>();
        SyncServiceGrpc.SyncServiceStub stub = stubs[(int) Math.floorMod(next.getAndIncrement(), (long) stubs.length)];
        stub.withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS).publish(request, new StreamObserver<>() {
            @Override
            public void onNext(PublishResponse value) {
                answer.complete(value.getSeq());
            }

            @Override
            public void onError(Throwable t) {
                answer.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                answer.completeExceptionally(new IllegalStateException("Publish completed without an answer"));
            }
        });
        return answer;
    }
}
