package io.playconnect.core.trace;

import io.opentelemetry.api.trace.SpanContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TraceparentTest {
    private static final String GOOD = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void acceptsTheW3cFormAndReadsItsParts() {
        assertThat(Traceparent.isValid(GOOD)).isTrue();
        assertThat(Traceparent.traceId(GOOD)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(Traceparent.spanId(GOOD)).isEqualTo("00f067aa0ba902b7");
        SpanContext c = Tracing.parse(GOOD);
        assertThat(c.isRemote()).isTrue();
        assertThat(c.isSampled()).isTrue();
        assertThat(Traceparent.format(c.getTraceId(), c.getSpanId(), c.getTraceFlags().asHex())).isEqualTo(GOOD);
    }

    @Test
    void acceptsALaterVersionWithMoreFields() {
        assertThat(Traceparent.isValid("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra")).isTrue();
    }

    @Test
    void refusesEverythingElse() {
        String[] bad = {
            null, "", "garbage", GOOD.toUpperCase(), GOOD + "-", GOOD.substring(1),
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",
            "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" + "x".repeat(600),
        };
        for (String s : bad) {
            assertThat(Traceparent.isValid(s)).as(String.valueOf(s)).isFalse();
            assertThat(Tracing.parse(s)).as(String.valueOf(s)).isNull();
        }
    }

    @Test
    void noopTracingIsDisabledAndRefusesToStartSpans() {
        assertThat(Tracing.noop().enabled()).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Tracing.noop().start("x",
                io.opentelemetry.api.trace.SpanKind.INTERNAL, GOOD)).isInstanceOf(IllegalStateException.class);
    }
}
