package io.playconnect.core.trace;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

import java.util.Objects;

/**
 * Starts the product's spans. The context travels between processes as a W3C {@code traceparent}
 * string, so the parent of every span here is given as one (or as a span of the same process).
 *
 * <p>{@link #noop()} is the default everywhere: {@link #enabled()} is false and callers must not
 * call {@link #start}; they test {@code enabled()} first so that with tracing off the hot path
 * makes no span, builder or context object at all (the no-op API would still allocate some).
 */
public final class Tracing {
    public static final String INSTRUMENTATION = "io.playconnect";

    public static final AttributeKey<String> ROOM = AttributeKey.stringKey("playconnect.room");
    public static final AttributeKey<String> TYPE = AttributeKey.stringKey("playconnect.type");
    public static final AttributeKey<Long> SEQ = AttributeKey.longKey("playconnect.seq");
    public static final AttributeKey<String> PROTOCOL = AttributeKey.stringKey("playconnect.protocol");
    public static final AttributeKey<String> CONNECTION_ID = AttributeKey.stringKey("playconnect.connection_id");
    public static final AttributeKey<String> CORRELATION_ID = AttributeKey.stringKey("playconnect.correlation_id");
    public static final AttributeKey<Long> PARTITION = AttributeKey.longKey("playconnect.partition");
    public static final AttributeKey<Long> SUBSCRIBERS = AttributeKey.longKey("playconnect.subscribers");
    public static final AttributeKey<String> GATEWAY_ID = AttributeKey.stringKey("playconnect.gateway_id");
    public static final AttributeKey<String> RESULT = AttributeKey.stringKey("playconnect.result");

    private static final Tracing NOOP = new Tracing(null);

    private final Tracer tracer;

    private Tracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /** Tracing off: {@link #enabled()} is false. */
    public static Tracing noop() {
        return NOOP;
    }

    /** Tracing through {@code openTelemetry} (an SDK the server built, or a test's). */
    public static Tracing of(OpenTelemetry openTelemetry) {
        Objects.requireNonNull(openTelemetry, "openTelemetry");
        return new Tracing(openTelemetry.getTracer(INSTRUMENTATION));
    }

    public boolean enabled() {
        return tracer != null;
    }

    /**
     * Starts a span whose parent is {@code parentTraceparent}; a null or malformed one starts a new
     * trace. Only when {@link #enabled()}.
     */
    public Span start(String name, SpanKind kind, String parentTraceparent) {
        SpanBuilder b = builder(name, kind);
        SpanContext parent = parse(parentTraceparent);
        if (parent == null) {
            b.setNoParent();
        } else {
            b.setParent(Context.root().with(Span.wrap(parent)));
        }
        return b.startSpan();
    }

    /** Starts a child of a span of this process. Only when {@link #enabled()}. */
    public Span start(String name, SpanKind kind, Span parent) {
        return builder(name, kind).setParent(Context.root().with(parent)).startSpan();
    }

    private SpanBuilder builder(String name, SpanKind kind) {
        if (tracer == null) {
            throw new IllegalStateException("tracing is off; test enabled() first");
        }
        return tracer.spanBuilder(name).setSpanKind(kind);
    }

    /** The remote span context a traceparent names, or null when it is absent or malformed. */
    public static SpanContext parse(String traceparent) {
        if (!Traceparent.isValid(traceparent)) {
            return null;
        }
        SpanContext c = SpanContext.createFromRemoteParent(Traceparent.traceId(traceparent),
                Traceparent.spanId(traceparent), TraceFlags.fromHex(traceparent, 53), TraceState.getDefault());
        return c.isValid() ? c : null;
    }

    /** The traceparent that makes {@code span} the parent of the next hop, or null for an invalid span. */
    public static String traceparent(Span span) {
        SpanContext c = span.getSpanContext();
        if (!c.isValid()) {
            return null;
        }
        return Traceparent.format(c.getTraceId(), c.getSpanId(), c.getTraceFlags().asHex());
    }

    /** Marks a span failed with a short reason (an error code, not client data). */
    public static void fail(Span span, String reason) {
        span.setStatus(StatusCode.ERROR, reason);
    }
}
