package io.playconnect.server.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.playconnect.server.StartupException;
import io.playconnect.server.TracingSetupAccess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** OTEL_* settings (as the equivalent system properties, which the SDK reads first). */
class TracingSetupTest {
    @AfterEach
    void clear() {
        System.clearProperty("otel.traces.exporter");
        System.clearProperty("otel.exporter.otlp.protocol");
        System.clearProperty("otel.sdk.disabled");
    }

    @Test
    void offUnlessAnExporterIsNamed() {
        assertThat(TracingSetupAccess.fromSettings(Map.of())).isNull();
        assertThat(TracingSetupAccess.fromSettings(Map.of("otel.traces.exporter", "none"))).isNull();
        assertThat(TracingSetupAccess.fromSettings(Map.of("otel.traces.exporter", " NONE "))).isNull();
        assertThat(TracingSetupAccess.fromSettings(Map.of("otel.traces.exporter", "otlp", "otel.sdk.disabled", "true")))
                .isNull();
    }

    @Test
    void otlpAndConsoleBuildAnSdkThatRecords() {
        for (String exporter : new String[]{"otlp", "console"}) {
            System.setProperty("otel.traces.exporter", exporter);
            OpenTelemetrySdk sdk = TracingSetupAccess.fromSettings(Map.of("otel.traces.exporter", exporter));
            try {
                assertThat(sdk).as(exporter).isNotNull();
                Span span = sdk.getTracer("t").spanBuilder("s").startSpan();
                assertThat(span.isRecording()).as(exporter).isTrue();
                span.end();
            } finally {
                sdk.close();
            }
        }
    }

    @Test
    void otlpOverGrpcIsAOneLineStartupError() {
        System.setProperty("otel.traces.exporter", "otlp");
        System.setProperty("otel.exporter.otlp.protocol", "grpc");
        assertThatThrownBy(() -> TracingSetupAccess.fromSettings(Map.of("otel.traces.exporter", "otlp")))
                .isInstanceOf(StartupException.class).hasMessageStartingWith("OTEL_TRACES_EXPORTER=otlp: ");
    }
}
