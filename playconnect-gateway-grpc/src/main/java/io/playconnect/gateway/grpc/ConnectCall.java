package io.playconnect.gateway.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.RoomId;
import io.playconnect.core.StreamPosition;
import io.playconnect.core.SyncException;
import io.playconnect.edge.Admission;
import io.playconnect.edge.EdgeSession;
import io.playconnect.proto.v1.ClientMessage;
import io.playconnect.proto.v1.JoinRequest;
import io.playconnect.proto.v1.PublishRequest;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@code Connect} stream: one edge session, like one WebSocket connection. Each client message
 * is charged to the session's rate limits and handed to the edge; everything the client is told
 * comes back through {@link StreamOutput}. Errors about one message are {@code error} messages and
 * the stream stays open; a message that is not valid protobuf ends the stream (INVALID_ARGUMENT).
 * When the client half-closes, the stream ends (OK) once every publish it sent has been answered.
 */
final class ConnectCall implements StreamObserver<Parsed<ClientMessage>> {
    private final GatewayRuntime rt;
    private final CallInfo info;
    private final StreamWriter writer;
    /** Publishes sent whose ack or error has not been written yet. */
    private final AtomicInteger unanswered = new AtomicInteger();
    private volatile EdgeSession session;
    private volatile boolean halfClosed;

    private ConnectCall(GatewayRuntime rt, CallInfo info, StreamWriter writer) {
        this.rt = rt;
        this.info = info;
        this.writer = writer;
    }

    /** Opens the session for a new stream; a refused admission ends the stream at once. */
    static StreamObserver<Parsed<ClientMessage>> start(GatewayRuntime rt, ServerCallStreamObserver<Frame> out) {
        CallInfo info = CallInfo.current();
        StreamWriter writer = new StreamWriter(out);
        ConnectCall call = new ConnectCall(rt, info, writer);
        out.setOnCancelHandler(call::cancelled);
        EdgeSession session = openSession(rt, info, writer, call::answered);
        if (session == null) {
            return call;
        }
        call.session = session;
        if (out.isCancelled()) {
            call.cancelled();
        } else if (info.token() != null) {
            call.authenticate(info.token());
        }
        return call;
    }

    /** Admits and opens an edge session for a streaming call, or ends the call and returns null. */
    static EdgeSession openSession(GatewayRuntime rt, CallInfo info, StreamWriter writer, Runnable onAnswer) {
        if (!rt.accepting) {
            writer.closeNow(Statuses.error(ErrorCode.UNAVAILABLE, "this server is draining; reconnect elsewhere", null));
            return null;
        }
        Admission admission = rt.edge.admit(GrpcGateway.PROTOCOL, info.remote());
        if (!admission.accepted()) {
            writer.closeNow(Statuses.error(admission.code(), admission.reason(), null));
            return null;
        }
        EdgeSession session = rt.edge.openSession(admission, new StreamOutput(writer, onAnswer, CallLoop.current()));
        writer.attach(session);
        return session;
    }

    private void authenticate(String token) {
        EdgeSession s = session;
        s.authenticate(token).whenComplete((principal, err) -> {
            if (err == null && principal != null) {
                writer.write(ProtoFrames.authenticated(principal));
            }
        });
    }

    @Override
    public void onNext(Parsed<ClientMessage> parsed) {
        EdgeSession s = session;
        if (s == null || writer.isDone()) {
            return;
        }
        if (!parsed.ok()) {
            s.close();
            writer.closeNow(Statuses.error(ErrorCode.BAD_REQUEST, parsed.problem(), null));
            return;
        }
        if (!s.inboundMessage(parsed.size())) {
            return;
        }
        try {
            dispatch(s, parsed.message());
        } catch (SyncException e) {
            s.reportError(e.code(), e.getMessage(), null);
        }
    }

    private void dispatch(EdgeSession s, ClientMessage m) {
        switch (m.getOpCase()) {
            case AUTH -> authenticate(m.getAuth().getToken());
            case JOIN -> s.join(RoomId.parse(m.getJoin().getRoom()), since(m.getJoin()));
            case LEAVE -> s.leave(RoomId.parse(m.getLeave().getRoom()));
            case PUBLISH -> publish(s, m.getPublish());
            case PRESENCE -> s.presence(RoomId.parse(m.getPresence().getRoom()));
            case PING -> writer.write(ProtoFrames.PONG);
            case OP_NOT_SET -> throw new SyncException(ErrorCode.UNKNOWN_OP,
                    "the message has no operation this server knows");
        }
    }

    private void publish(EdgeSession s, PublishRequest p) {
        // Counted before anything can fail: every publish gets exactly one ack or error back.
        unanswered.incrementAndGet();
        String correlationId = correlationIdOf(p);
        String traceparent = p.getTraceparent().isEmpty() ? info.traceparent() : p.getTraceparent();
        RoomId room;
        try {
            room = RoomId.parse(p.getRoom());
        } catch (SyncException e) {
            s.reportError(e.code(), e.getMessage(), correlationId);
            return;
        }
        s.publish(room, p.getType(), p.getPayload().toByteArray(), correlationId, traceparent);
    }

    /** The client's correlation id, or one made here, so that the answer can always be matched. */
    private static String correlationIdOf(PublishRequest p) {
        return p.getCorrelationId().isEmpty() ? UUID.randomUUID().toString() : p.getCorrelationId();
    }

    /** An ack or a publish's error went out. */
    private void answered() {
        if (unanswered.decrementAndGet() <= 0 && halfClosed) {
            finish();
        }
    }

    static StreamPosition since(JoinRequest join) {
        if (!join.hasSince()) {
            return null;
        }
        if (join.getSince().getEpoch().isEmpty()) {
            throw new SyncException(ErrorCode.BAD_REQUEST, "since needs the epoch with the seq");
        }
        if (join.getSince().getSeq() < 0) {
            throw new SyncException(ErrorCode.BAD_REQUEST, "since.seq is too large");
        }
        return new StreamPosition(join.getSince().getEpoch(), join.getSince().getSeq());
    }

    /** The client sends nothing more: the call completes once its publishes are answered. */
    @Override
    public void onCompleted() {
        halfClosed = true;
        if (unanswered.get() <= 0) {
            finish();
        }
    }

    private void finish() {
        EdgeSession s = session;
        if (s != null) {
            s.close();
        }
        writer.close(null);
    }

    @Override
    public void onError(Throwable t) {
        cancelled();
    }

    private void cancelled() {
        writer.cancelled();
        EdgeSession s = session;
        if (s != null) {
            s.close();
        }
    }
}
