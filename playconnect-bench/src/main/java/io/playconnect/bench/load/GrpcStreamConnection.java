package io.playconnect.bench.load;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.playconnect.proto.v1.ClientMessage;
import io.playconnect.proto.v1.Event;
import io.playconnect.proto.v1.JoinRequest;
import io.playconnect.proto.v1.Position;
import io.playconnect.proto.v1.PublishRequest;
import io.playconnect.proto.v1.ServerMessage;
import io.playconnect.proto.v1.SyncServiceGrpc;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One load client on a {@code Connect} stream: joins its rooms (resuming where the spec says),
 * reports events, matches acks and errors to its publishes by correlation id.
 */
final class GrpcStreamConnection implements ClientConnection, ClientResponseObserver<ClientMessage, ServerMessage> {
    private static final AtomicLong CORRELATION = new AtomicLong();

    private final ClientSpec spec;
    private final ClientListener listener;
    private final ManagedChannel channel;
    private final Channel authorized;
    private final ConcurrentHashMap<String, CompletableFuture<Long>> pending = new ConcurrentHashMap<>();
    private final CompletableFuture<ClientConnection> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final AtomicInteger waitingRooms;
    private ClientCallStreamObserver<ClientMessage> requests;

    GrpcStreamConnection(ClientSpec spec, ClientListener listener, ManagedChannel channel, Channel authorized) {
        this.spec = spec;
        this.listener = listener;
        this.channel = channel;
        this.authorized = authorized;
        this.waitingRooms = new AtomicInteger(spec.rooms().size());
    }

    /** Opens the stream and joins every room; completes once each room is subscribed. */
    CompletableFuture<ClientConnection> start() {
        SyncServiceGrpc.newStub(authorized).connect(this);
        if (spec.rooms().isEmpty()) {
            ready.complete(this);
            return ready;
        }
        for (String room : spec.rooms()) {
            JoinRequest.Builder join = JoinRequest.newBuilder().setRoom(room);
            ClientSpec.Position at = spec.resumeFrom().get(room);
            if (at != null) {
                join.setSince(Position.newBuilder().setEpoch(at.epoch()).setSeq(at.seq()));
            }
            send(ClientMessage.newBuilder().setJoin(join).build());
        }
        return ready;
    }

    /** Completes once the stream has ended, for whatever reason. */
    CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<ClientMessage> requestStream) {
        this.requests = requestStream;
    }

    @Override
    public void onNext(ServerMessage m) {
        switch (m.getMsgCase()) {
            case EVENT -> onEvent(m.getEvent());
            case JOINED -> {
                var j = m.getJoined();
                listener.onJoined(spec.index(), j.getRoom(), j.getEpoch(), j.getSeq(), j.getRecovered());
                if (j.getRecovered()) {
                    roomReady();
                }
            }
            case SNAPSHOT -> roomReady();
            case ACK -> complete(m.getAck().getCorrelationId(), m.getAck().getSeq(), null);
            case ERROR -> onErrorMessage(m.getError());
            default -> {
                // authenticated, presence, pong: nothing to count
            }
        }
    }

    private void onEvent(Event e) {
        listener.onMessage(spec.index(), e.getRoom(), e.getSeq(), sentNanos(e.getPayload()));
    }

    /** The send time the load generator put in the payload, or -1. */
    static long sentNanos(ByteString payload) {
        ByteBuf buf = Unpooled.wrappedBuffer(payload.asReadOnlyByteBuffer());
        return Payloads.sentNanos(buf, buf.readerIndex(), buf.writerIndex());
    }

    private void onErrorMessage(io.playconnect.proto.v1.Error error) {
        String cid = error.getCorrelationId();
        if (!cid.isEmpty() && pending.containsKey(cid)) {
            complete(cid, -1, new IllegalStateException(error.getCode() + ": " + error.getMessage()));
        } else if (!error.getRoom().isEmpty() && !ready.isDone()) {
            ready.completeExceptionally(new IllegalStateException("join " + error.getRoom() + " refused: "
                    + error.getCode() + ": " + error.getMessage()));
        } else {
            listener.onError(spec.index(), error.getCode(), error.getMessage());
        }
    }

    private void roomReady() {
        if (waitingRooms.decrementAndGet() == 0) {
            ready.complete(this);
        }
    }

    private void complete(String correlationId, long seq, Throwable failure) {
        CompletableFuture<Long> f = pending.remove(correlationId);
        if (f != null && failure == null) {
            f.complete(seq);
        } else if (f != null) {
            f.completeExceptionally(failure);
        }
    }

    @Override
    public void onError(Throwable t) {
        Status s = Status.fromThrowable(t);
        ended(s.getCode().value(), s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription()));
    }

    @Override
    public void onCompleted() {
        ended(Status.Code.OK.value(), "stream completed");
    }

    private void ended(int code, String reason) {
        IllegalStateException gone = new IllegalStateException("stream ended: " + reason);
        ready.completeExceptionally(gone);
        pending.values().forEach(f -> f.completeExceptionally(gone));
        pending.clear();
        if (closed.complete(null)) {
            listener.onClosed(spec.index(), code, reason);
        }
    }

    @Override
    public int index() {
        return spec.index();
    }

    @Override
    public CompletableFuture<Long> publish(String room, byte[] payload) {
        String cid = "g" + CORRELATION.incrementAndGet();
        CompletableFuture<Long> acked = new CompletableFuture<>();
        pending.put(cid, acked);
        send(ClientMessage.newBuilder().setPublish(PublishRequest.newBuilder().setRoom(room)
                .setType(GrpcUnaryPublisher.TYPE).setPayload(UnsafeByteOperations.unsafeWrap(payload))
                .setCorrelationId(cid)).build());
        if (closed.isDone()) {
            complete(cid, -1, new IllegalStateException("stream ended"));
        }
        return acked;
    }

    /** A call's request stream takes one writer at a time: the workload thread and I/O threads both send. */
    private synchronized void send(ClientMessage m) {
        if (!closed.isDone()) {
            requests.onNext(m);
        }
    }

    /** Cuts the channel at once: the transport closes without a goodbye to the server's stream. */
    @Override
    public CompletableFuture<Void> drop() {
        channel.shutdownNow();
        return closed;
    }

    @Override
    public boolean isOpen() {
        return !closed.isDone();
    }
}
