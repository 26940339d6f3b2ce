package io.playconnect.client;

import io.grpc.Metadata;
import io.grpc.Status;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.Event;
import io.playconnect.core.Origin;
import io.playconnect.core.RoomId;
import io.playconnect.core.RoomSnapshot;
import io.playconnect.proto.v1.Error;
import io.playconnect.proto.v1.Presence;
import io.playconnect.proto.v1.Snapshot;

import java.util.concurrent.CompletionException;

/** Between the playconnect.v1 messages and the client's (and core's) types. */
final class Convert {
    static final Metadata.Key<String> ERROR_CODE = Metadata.Key.of("playconnect-error-code", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> RETRY = Metadata.Key.of("playconnect-retry", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> CORRELATION_ID =
            Metadata.Key.of("playconnect-correlation-id", Metadata.ASCII_STRING_MARSHALLER);

    private Convert() {
    }

    static Event event(io.playconnect.proto.v1.Event e) {
        Origin origin = e.hasOrigin() ? new Origin(e.getOrigin().getProtocol(), e.getOrigin().getUser()) : null;
        return new Event(e.getId(), e.getType(), RoomId.parse(e.getRoom()), e.getSeq(), e.getEpoch(), e.getTs(),
                emptyToNull(e.getCorrelationId()), emptyToNull(e.getTraceparent()), origin, e.getPayload().toByteArray());
    }

    static RoomSnapshot snapshot(Snapshot s) {
        return new RoomSnapshot(RoomId.parse(s.getRoom()), s.getEpoch(), s.getSeq(), s.getState().toByteArray());
    }

    static Member member(io.playconnect.proto.v1.Member m) {
        return new Member(m.getUser(), m.getConnectionId(), m.getProtocol(), m.getJoinedAt());
    }

    static PresenceChange presence(Presence p) {
        return switch (p.getChangeCase()) {
            case MEMBERS -> new PresenceChange.Members(p.getRoom(),
                    p.getMembers().getMembersList().stream().map(Convert::member).toList());
            case JOINED -> new PresenceChange.Joined(p.getRoom(), member(p.getJoined()));
            case LEFT -> new PresenceChange.Left(p.getRoom(), member(p.getLeft()));
            case CHANGE_NOT_SET -> new PresenceChange.Members(p.getRoom(), java.util.List.of());
        };
    }

    static PlayConnectException error(Error e) {
        ErrorCode code = ErrorCode.fromWireName(e.getCode());
        return new PlayConnectException(code == null ? ErrorCode.INTERNAL : code, e.getMessage(), e.getRetry(),
                emptyToNull(e.getCorrelationId()), null);
    }

    /** A failed call as a typed exception: the code from the trailers, else from the status. */
    static PlayConnectException failure(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (cause instanceof PlayConnectException p) {
            return p;
        }
        Status status = Status.fromThrowable(cause);
        Metadata trailers = Status.trailersFromThrowable(cause);
        ErrorCode code = trailers == null ? null : ErrorCode.fromWireName(trailers.get(ERROR_CODE));
        if (code == null) {
            code = codeOf(status.getCode());
        }
        boolean retry = trailers != null && trailers.get(RETRY) != null ? Boolean.parseBoolean(trailers.get(RETRY))
                : code.retryable();
        String correlationId = trailers == null ? null : trailers.get(CORRELATION_ID);
        String message = status.getDescription() != null ? status.getDescription() : status.getCode().toString();
        return new PlayConnectException(code, message, retry, correlationId, status);
    }

    /** For a status without the server's trailers (a proxy, the transport, the client library itself). */
    static ErrorCode codeOf(Status.Code code) {
        return switch (code) {
            case INVALID_ARGUMENT, OUT_OF_RANGE -> ErrorCode.BAD_REQUEST;
            case NOT_FOUND -> ErrorCode.UNKNOWN_KIND;
            case UNAUTHENTICATED -> ErrorCode.UNAUTHENTICATED;
            case PERMISSION_DENIED -> ErrorCode.FORBIDDEN;
            case RESOURCE_EXHAUSTED -> ErrorCode.RATE_LIMITED;
            case DEADLINE_EXCEEDED -> ErrorCode.OUTCOME_UNKNOWN;
            case UNAVAILABLE, CANCELLED, ABORTED -> ErrorCode.UNAVAILABLE;
            default -> ErrorCode.INTERNAL;
        };
    }

    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
