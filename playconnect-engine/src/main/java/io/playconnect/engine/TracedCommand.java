package io.playconnect.engine;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.playconnect.core.Command;
import io.playconnect.core.CommandResult;
import io.playconnect.core.spi.Message;
import io.playconnect.core.trace.Tracing;

/**
 * A command's request while tracing is on: it carries the engine's apply span and ends it when the
 * answer goes out, so every path to {@code respond} (accepted, rejected, retried, lapsed) closes
 * the span exactly once without the partition threading a span through each of them. Made only
 * when tracing is enabled; otherwise the broker's own message is used as it is.
 */
final class TracedCommand implements Message {
    static final String APPLY_SPAN = "playconnect.engine.apply";
    static final String APPEND_SPAN = "playconnect.log.append";

    private final Message request;
    private final Span span;
    private final String traceparent;

    private TracedCommand(Message request, Span span) {
        this.request = request;
        this.span = span;
        this.traceparent = Tracing.traceparent(span);
    }

    /** Starts the apply span as a child of the command's context (the gateway's broker span). */
    static TracedCommand start(Tracing tracing, Command command, int partition, Message request) {
        Span span = tracing.start(APPLY_SPAN, SpanKind.SERVER, command.traceparent());
        span.setAttribute(Tracing.ROOM, command.room().value());
        span.setAttribute(Tracing.TYPE, command.type());
        span.setAttribute(Tracing.PROTOCOL, command.origin().protocol());
        span.setAttribute(Tracing.PARTITION, partition);
        return new TracedCommand(request, span);
    }

    /** The context the event and its log record carry: this span as the parent of deliveries. */
    String traceparent() {
        return traceparent;
    }

    Span span() {
        return span;
    }

    /** Records the outcome on the span, just before the answer is sent. */
    void result(CommandResult result) {
        if (result instanceof CommandResult.Accepted a) {
            span.setAttribute(Tracing.SEQ, a.seq());
            span.setAttribute(Tracing.RESULT, "accepted");
        } else {
            String code = ((CommandResult.Rejected) result).code().wireName();
            span.setAttribute(Tracing.RESULT, code);
            Tracing.fail(span, code);
        }
    }

    @Override
    public String subject() {
        return request.subject();
    }

    @Override
    public byte[] data() {
        return request.data();
    }

    @Override
    public String replyTo() {
        return request.replyTo();
    }

    @Override
    public void respond(byte[] data) {
        try {
            request.respond(data);
        } finally {
            span.end();
        }
    }
}
