package io.playconnect.edge;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.playconnect.core.spi.LogRecord;
import io.playconnect.core.trace.Tracing;

import java.util.ArrayList;
import java.util.List;

/**
 * The delivery spans of one stored record in this process: one per protocol gateway that has
 * receivers for it, children of the engine's apply span (the record's {@code traceparent}
 * header). Not one per subscriber: a room of 10,000 members would make 10,000 spans per event,
 * costing more than the delivery itself and flooding the exporter; the subscriber count is an
 * attribute instead. Made only while tracing is on and the record carries a context.
 */
final class DeliverySpans {
    static final String NAME = "playconnect.gateway.deliver";

    private final List<Span> spans = new ArrayList<>(2);

    private DeliverySpans() {
    }

    /** Starts the spans for {@code receivers} of {@code record}, or returns null when there is nothing to trace. */
    static DeliverySpans start(EdgeRuntime rt, LogRecord record, List<RoomSubscriber> receivers) {
        String parent = record.header(LogRecord.TRACEPARENT_HEADER);
        if (receivers.isEmpty() || Tracing.parse(parent) == null) {
            return null;
        }
        List<ProtocolMeters> protocols = new ArrayList<>(2);
        List<long[]> counts = new ArrayList<>(2);
        for (int i = 0; i < receivers.size(); i++) {
            ProtocolMeters m = receivers.get(i).meters();
            int at = protocols.indexOf(m);
            if (at < 0) {
                protocols.add(m);
                counts.add(new long[]{1});
            } else {
                counts.get(at)[0]++;
            }
        }
        DeliverySpans d = new DeliverySpans();
        for (int i = 0; i < protocols.size(); i++) {
            Span span = rt.tracing.start(NAME, SpanKind.PRODUCER, parent);
            span.setAttribute(Tracing.ROOM, record.room().value());
            span.setAttribute(Tracing.SEQ, record.seq());
            span.setAttribute(Tracing.PROTOCOL, protocols.get(i).protocol());
            span.setAttribute(Tracing.SUBSCRIBERS, counts.get(i)[0]);
            span.setAttribute(Tracing.GATEWAY_ID, rt.gatewayId);
            d.spans.add(span);
        }
        return d;
    }

    /** Ends every span: the record is queued for each receiver (writes follow on the event loops). */
    void end() {
        for (int i = 0; i < spans.size(); i++) {
            spans.get(i).end();
        }
    }
}
