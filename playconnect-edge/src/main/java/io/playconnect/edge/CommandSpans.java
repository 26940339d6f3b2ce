package io.playconnect.edge;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.playconnect.core.Command;
import io.playconnect.core.CommandResult;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.RoomId;
import io.playconnect.core.trace.Tracing;

/**
 * The gateway's spans of one command, used only while tracing is on: the receive span (from the
 * client's frame until its answer is queued, a child of the client's context or a new trace) and
 * inside it one broker span per request to the room's partition (retries included), whose context
 * the command carries to the engine.
 */
final class CommandSpans {
    static final String RECEIVE = "playconnect.gateway.receive";
    static final String BROKER = "playconnect.broker.request";

    private CommandSpans() {
    }

    static Span receive(Tracing tracing, EdgeSession session, RoomId room, String type, String correlationId,
                        String clientTraceparent) {
        Span span = tracing.start(RECEIVE, SpanKind.SERVER, clientTraceparent);
        span.setAttribute(Tracing.ROOM, room.value());
        span.setAttribute(Tracing.PROTOCOL, session.protocol());
        span.setAttribute(Tracing.CONNECTION_ID, session.connectionId());
        span.setAttribute(Tracing.CORRELATION_ID, correlationId);
        if (type != null) {
            span.setAttribute(Tracing.TYPE, type);
        }
        return span;
    }

    static Span broker(Tracing tracing, Span receive, Command command) {
        Span span = tracing.start(BROKER, SpanKind.CLIENT, receive);
        span.setAttribute(Tracing.ROOM, command.room().value());
        span.setAttribute(Tracing.TYPE, command.type());
        return span;
    }

    /** The command as sent under {@code broker}: its context names the broker span. */
    static Command under(Span broker, Command command) {
        return new Command(command.room(), command.type(), command.payload(), command.correlationId(),
                command.origin(), Tracing.traceparent(broker));
    }

    /** Ends a span with the command's outcome; a null span (tracing off) is ignored. */
    static void end(Span span, CommandResult result) {
        if (span == null) {
            return;
        }
        if (result instanceof CommandResult.Accepted a) {
            span.setAttribute(Tracing.SEQ, a.seq());
            span.setAttribute(Tracing.RESULT, "accepted");
            span.end();
        } else {
            end(span, ((CommandResult.Rejected) result).code());
        }
    }

    static void end(Span span, ErrorCode code) {
        if (span != null) {
            span.setAttribute(Tracing.RESULT, code.wireName());
            Tracing.fail(span, code.wireName());
            span.end();
        }
    }
}
