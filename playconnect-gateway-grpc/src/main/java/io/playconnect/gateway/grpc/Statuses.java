package io.playconnect.gateway.grpc;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.SyncException;
import io.playconnect.edge.CloseReason;

import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one mapping from the edge's typed errors and close reasons to gRPC status codes, with the
 * typed code in trailers so a client can tell {@code illegal_move} from {@code not_your_turn}.
 */
public final class Statuses {
    /** The typed code's wire name, e.g. {@code rate_limited}. */
    public static final Metadata.Key<String> ERROR_CODE =
            Metadata.Key.of("playconnect-error-code", Metadata.ASCII_STRING_MARSHALLER);
    /** {@code true} when the same request (same correlation id) may succeed later. */
    public static final Metadata.Key<String> RETRY =
            Metadata.Key.of("playconnect-retry", Metadata.ASCII_STRING_MARSHALLER);
    /** The correlation id of the command a failed publish was about. */
    public static final Metadata.Key<String> CORRELATION_ID =
            Metadata.Key.of("playconnect-correlation-id", Metadata.ASCII_STRING_MARSHALLER);
    /** Why the server ended a session: the close reason's kind in lower case, e.g. {@code slow_consumer}. */
    public static final Metadata.Key<String> CLOSE_REASON =
            Metadata.Key.of("playconnect-close-reason", Metadata.ASCII_STRING_MARSHALLER);

    private Statuses() {
    }

    /** The gRPC code for a typed error; see sync.proto for the table. */
    public static Status.Code codeOf(ErrorCode code) {
        return switch (code) {
            case BAD_REQUEST, UNKNOWN_OP, BAD_ROOM, UNKNOWN_TYPE, BAD_PAYLOAD, PAYLOAD_TOO_LARGE -> Status.Code.INVALID_ARGUMENT;
            case UNKNOWN_KIND -> Status.Code.NOT_FOUND;
            case ILLEGAL_MOVE, NOT_YOUR_TURN, SPECTATOR, GAME_OVER, CLOCK_SKEW, NOT_JOINED -> Status.Code.FAILED_PRECONDITION;
            case IDEMPOTENCY_CONFLICT -> Status.Code.ALREADY_EXISTS;
            case UNAUTHENTICATED, TOKEN_EXPIRED -> Status.Code.UNAUTHENTICATED;
            case FORBIDDEN -> Status.Code.PERMISSION_DENIED;
            case RATE_LIMITED -> Status.Code.RESOURCE_EXHAUSTED;
            case OVERLOADED, NO_OWNER, UNAVAILABLE -> Status.Code.UNAVAILABLE;
            case OUTCOME_UNKNOWN -> Status.Code.DEADLINE_EXCEEDED;
            case INTERNAL -> Status.Code.INTERNAL;
        };
    }

    /** A failed call for a typed error. */
    static StatusRuntimeException error(ErrorCode code, String message, String correlationIdOrNull) {
        Metadata trailers = new Metadata();
        trailers.put(ERROR_CODE, code.wireName());
        trailers.put(RETRY, Boolean.toString(code.retryable()));
        if (correlationIdOrNull != null && printableAscii(correlationIdOrNull)) {
            trailers.put(CORRELATION_ID, correlationIdOrNull);
        }
        return Status.fromCode(codeOf(code)).withDescription(message).asRuntimeException(trailers);
    }

    /** A failed call for whatever a future failed with: typed errors keep their code. */
    static StatusRuntimeException of(Throwable failure, String correlationIdOrNull) {
        Throwable t = unwrap(failure);
        if (t instanceof StatusRuntimeException s) {
            return s;
        }
        if (t instanceof SyncException e) {
            return error(e.code(), e.getMessage(), correlationIdOrNull);
        }
        if (t instanceof DeadlinePassed d) {
            return deadline(d.getMessage(), correlationIdOrNull);
        }
        return error(ErrorCode.INTERNAL, "internal error", correlationIdOrNull);
    }

    /** The call's own deadline passed before the answer: the command may or may not be applied. */
    static StatusRuntimeException deadline(String message, String correlationIdOrNull) {
        Metadata trailers = new Metadata();
        trailers.put(ERROR_CODE, ErrorCode.OUTCOME_UNKNOWN.wireName());
        trailers.put(RETRY, "true");
        if (correlationIdOrNull != null && printableAscii(correlationIdOrNull)) {
            trailers.put(CORRELATION_ID, correlationIdOrNull);
        }
        return Status.DEADLINE_EXCEEDED.withDescription(message).asRuntimeException(trailers);
    }

    /** How a stream ends when the edge closes its session. */
    static StatusRuntimeException closed(CloseReason reason) {
        ErrorCode code = switch (reason.kind()) {
            case GOING_AWAY, OVERLOADED -> ErrorCode.UNAVAILABLE;
            case POLICY, SLOW_CONSUMER -> ErrorCode.RATE_LIMITED;
            case INTERNAL -> ErrorCode.INTERNAL;
            case UNAUTHENTICATED -> ErrorCode.UNAUTHENTICATED;
            case TOKEN_EXPIRED -> ErrorCode.TOKEN_EXPIRED;
            case KICKED -> ErrorCode.FORBIDDEN;
        };
        Metadata trailers = new Metadata();
        trailers.put(ERROR_CODE, code.wireName());
        trailers.put(RETRY, Boolean.toString(reason.kind() == CloseReason.Kind.GOING_AWAY
                || reason.kind() == CloseReason.Kind.OVERLOADED || reason.kind() == CloseReason.Kind.SLOW_CONSUMER));
        trailers.put(CLOSE_REASON, reason.kind().name().toLowerCase(Locale.ROOT));
        Status.Code status = reason.kind() == CloseReason.Kind.KICKED ? Status.Code.ABORTED : codeOf(code);
        return Status.fromCode(status).withDescription(reason.text()).asRuntimeException(trailers);
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static boolean printableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** A call's deadline passed while its answer was pending. */
    static final class DeadlinePassed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DeadlinePassed(String message) {
            super(message, null, false, false);
        }
    }
}
