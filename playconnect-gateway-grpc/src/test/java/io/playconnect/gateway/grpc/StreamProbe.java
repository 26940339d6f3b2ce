package io.playconnect.gateway.grpc;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.playconnect.proto.v1.ClientMessage;
import io.playconnect.proto.v1.JoinRequest;
import io.playconnect.proto.v1.PublishRequest;
import io.playconnect.proto.v1.ServerMessage;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** Collects what a streaming call receives, for tests; {@link #next} waits for a message. */
final class StreamProbe implements StreamObserver<ServerMessage> {
    static final Duration WAIT = Duration.ofSeconds(10);

    final BlockingQueue<ServerMessage> received = new LinkedBlockingQueue<>();
    final CompletableFuture<Status> ended = new CompletableFuture<>();
    private final java.util.List<ServerMessage> passed = new java.util.ArrayList<>();
    StreamObserver<ClientMessage> requests;
    private volatile io.grpc.Metadata trailers = new io.grpc.Metadata();

    /** Opens a Connect stream with this probe as its response side. */
    static StreamProbe connect(GrpcFixture server, String token) {
        StreamProbe p = new StreamProbe();
        p.requests = server.stub(token).connect(p);
        return p;
    }

    @Override
    public void onNext(ServerMessage value) {
        received.add(value);
    }

    @Override
    public void onError(Throwable t) {
        io.grpc.Metadata trailers = Status.trailersFromThrowable(t);
        this.trailers = trailers == null ? new io.grpc.Metadata() : trailers;
        ended.complete(Status.fromThrowable(t));
    }

    /** The trailers the stream ended with (after {@link #awaitEnd}). */
    io.grpc.Metadata endTrailers() {
        return trailers;
    }

    @Override
    public void onCompleted() {
        ended.complete(Status.OK);
    }

    /**
     * The first message not taken yet that matches. Messages passed over stay for later calls, so
     * waiting for an ack does not lose the event that arrived before it.
     */
    ServerMessage next(Predicate<ServerMessage> matching) throws InterruptedException {
        for (java.util.Iterator<ServerMessage> it = passed.iterator(); it.hasNext(); ) {
            ServerMessage m = it.next();
            if (matching.test(m)) {
                it.remove();
                return m;
            }
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            ServerMessage m = received.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(m).as("a matching message within " + WAIT + (ended.isDone() ? "; stream ended " + ended.join() : ""))
                    .isNotNull();
            if (matching.test(m)) {
                return m;
            }
            passed.add(m);
        }
    }

    /** Forgets everything received so far. */
    void clear() {
        passed.clear();
        received.clear();
    }

    ServerMessage next(ServerMessage.MsgCase kind) throws InterruptedException {
        return next(m -> m.getMsgCase() == kind);
    }

    Status awaitEnd() {
        return ended.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    void send(ClientMessage m) {
        requests.onNext(m);
    }

    void join(String room) {
        send(ClientMessage.newBuilder().setJoin(JoinRequest.newBuilder().setRoom(room)).build());
    }

    void publish(String room, String type, String json, String correlationId) {
        send(ClientMessage.newBuilder().setPublish(PublishRequest.newBuilder().setRoom(room).setType(type)
                .setPayload(ByteString.copyFrom(json, StandardCharsets.UTF_8)).setCorrelationId(correlationId)).build());
    }

    void cancel() {
        requests.onError(Status.CANCELLED.asRuntimeException());
    }
}
