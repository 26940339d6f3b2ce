package io.playconnect.engine;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.playconnect.core.Command;
import io.playconnect.core.CommandResult;
import io.playconnect.core.Event;
import io.playconnect.core.RoomId;
import io.playconnect.core.codec.EnvelopeCodec;
import io.playconnect.core.spi.LogRecord;
import io.playconnect.core.spi.RoomLogConfig;
import io.playconnect.core.trace.Tracing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EngineTracingTest {
    private static final String PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .build();
    private EngineHarness h;

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.close();
        }
        sdk.close();
    }

    private static Command withTrace(Command c, String traceparent) {
        return new Command(c.room(), c.type(), c.payload(), c.correlationId(), c.origin(), traceparent);
    }

    private LogRecord onlyRecord(String room) {
        List<LogRecord> log = h.broker.roomLog().read(RoomId.parse(room), 1, 10).join();
        assertThat(log).hasSize(1);
        return log.get(0);
    }

    @Test
    void applyAndAppendSpansContinueTheCommandsTraceAndTheRecordCarriesTheApplySpan() {
        h = new EngineHarness(RoomLogConfig.defaults(), b -> b.tracing(Tracing.of(sdk)));
        Command c = withTrace(EngineHarness.command("chat.t", "chat.message", "{\"text\":\"x\"}", "alice", "k1"), PARENT);
        assertThat(h.send(c)).isInstanceOf(CommandResult.Accepted.class);

        await().until(() -> spans.getFinishedSpanItems().size() >= 2);
        SpanData apply = span(TracedCommand.APPLY_SPAN);
        SpanData append = span(TracedCommand.APPEND_SPAN);
        assertThat(apply.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(apply.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(apply.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(apply.getAttributes().get(Tracing.ROOM)).isEqualTo("chat.t");
        assertThat(apply.getAttributes().get(Tracing.SEQ)).isEqualTo(1L);
        assertThat(append.getParentSpanId()).isEqualTo(apply.getSpanId());
        assertThat(append.getTraceId()).isEqualTo(apply.getTraceId());

        String expected = "00-" + apply.getTraceId() + "-" + apply.getSpanId() + "-01";
        LogRecord record = onlyRecord("chat.t");
        assertThat(record.header(LogRecord.TRACEPARENT_HEADER)).isEqualTo(expected);
        Event event = EnvelopeCodec.instance().decodeEvent(record.data());
        assertThat(event.traceparent()).isEqualTo(expected);
    }

    @Test
    void aMalformedTraceparentStartsANewTrace() {
        h = new EngineHarness(RoomLogConfig.defaults(), b -> b.tracing(Tracing.of(sdk)));
        Command c = withTrace(EngineHarness.command("chat.m", "chat.message", "{\"text\":\"x\"}", "alice", "k1"),
                "00-zz-not-a-trace");
        assertThat(h.send(c)).isInstanceOf(CommandResult.Accepted.class);
        await().until(() -> spans.getFinishedSpanItems().size() >= 2);
        SpanData apply = span(TracedCommand.APPLY_SPAN);
        assertThat(apply.getParentSpanContext().isValid()).isFalse();
        assertThat(onlyRecord("chat.m").header(LogRecord.TRACEPARENT_HEADER)).contains(apply.getTraceId());
    }

    @Test
    void withTracingOffAValidContextPassesThroughAndAMalformedOneIsDropped() {
        h = new EngineHarness();
        h.send(withTrace(EngineHarness.command("chat.p", "chat.message", "{\"text\":\"x\"}", "alice", "k1"), PARENT));
        h.send(withTrace(EngineHarness.command("chat.q", "chat.message", "{\"text\":\"x\"}", "alice", "k1"), "junk"));
        assertThat(onlyRecord("chat.p").header(LogRecord.TRACEPARENT_HEADER)).isEqualTo(PARENT);
        assertThat(EnvelopeCodec.instance().decodeEvent(onlyRecord("chat.p").data()).traceparent()).isEqualTo(PARENT);
        assertThat(onlyRecord("chat.q").headers()).doesNotContainKey(LogRecord.TRACEPARENT_HEADER);
        assertThat(EnvelopeCodec.instance().decodeEvent(onlyRecord("chat.q").data()).traceparent()).isNull();
        assertThat(spans.getFinishedSpanItems()).isEmpty();
    }

    private SpanData span(String name) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans.getFinishedSpanItems()));
    }
}
