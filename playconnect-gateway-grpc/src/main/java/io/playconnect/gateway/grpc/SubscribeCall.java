package io.playconnect.gateway.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.RoomId;
import io.playconnect.core.SyncException;
import io.playconnect.edge.EdgeSession;
import io.playconnect.proto.v1.JoinRequest;
import io.playconnect.proto.v1.SubscribeRequest;

import java.util.concurrent.atomic.AtomicReference;

/**
 * One {@code Subscribe} stream: a read-only session that joins the requested rooms and streams what
 * a Connect stream would get for the same joins. The token must come in the metadata: there is no
 * way to send one later.
 */
final class SubscribeCall {
    private SubscribeCall() {
    }

    static void start(GatewayRuntime rt, Parsed<SubscribeRequest> request, ServerCallStreamObserver<Frame> out) {
        CallInfo info = CallInfo.current();
        StreamWriter writer = new StreamWriter(out);
        AtomicReference<EdgeSession> holder = new AtomicReference<>();
        out.setOnCancelHandler(() -> {
            writer.cancelled();
            EdgeSession s = holder.get();
            if (s != null) {
                s.close();
            }
        });
        if (!request.ok()) {
            writer.closeNow(Statuses.error(ErrorCode.BAD_REQUEST, request.problem(), null));
            return;
        }
        if (info.token() == null) {
            writer.closeNow(Statuses.error(ErrorCode.UNAUTHENTICATED,
                    "send a token: authorization: Bearer <JWT>", null));
            return;
        }
        EdgeSession session = ConnectCall.openSession(rt, info, writer, () -> { });
        if (session == null) {
            return;
        }
        holder.set(session);
        if (out.isCancelled()) {
            session.close();
            return;
        }
        session.inboundMessage(request.size());
        session.authenticate(info.token());
        for (JoinRequest join : request.message().getRoomsList()) {
            try {
                session.join(RoomId.parse(join.getRoom()), ConnectCall.since(join));
            } catch (SyncException e) {
                session.reportError(e.code(), e.getMessage(), null);
            }
        }
    }
}
