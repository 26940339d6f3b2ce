package io.playconnect.server;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns tracing on from the standard OpenTelemetry settings, the way every OpenTelemetry SDK reads
 * them: {@code OTEL_TRACES_EXPORTER} (or the system property {@code otel.traces.exporter}) names
 * an exporter such as {@code otlp} or {@code console}; {@code OTEL_EXPORTER_OTLP_ENDPOINT},
 * {@code OTEL_SERVICE_NAME}, {@code OTEL_TRACES_SAMPLER} and the rest are read by the SDK's
 * autoconfiguration. Unset or {@code none}: tracing stays off and no SDK is built, so the hot path
 * pays nothing. Metrics and logs exporters default to {@code none} here: metrics are on
 * {@code /metrics} and logs on stderr. OTLP goes over HTTP/protobuf (port 4318) by default: the
 * build carries the JDK's HTTP sender, not the OkHttp one the gRPC protocol would need.
 */
final class TracingSetup {
    private static final Logger log = LoggerFactory.getLogger(TracingSetup.class);
    static final String DEFAULT_SERVICE_NAME = "playconnect";

    private TracingSetup() {
    }

    /**
     * The SDK the settings ask for, or null when tracing is off.
     *
     * @param setting looks a setting up by its system-property name ({@code otel.traces.exporter})
     *                first, then by its environment name ({@code OTEL_TRACES_EXPORTER})
     */
    static OpenTelemetrySdk fromSettings(Function<String, String> setting) {
        String exporter = setting.apply("otel.traces.exporter");
        boolean disabled = "true".equalsIgnoreCase(String.valueOf(setting.apply("otel.sdk.disabled")).trim());
        if (disabled || exporter == null || exporter.isBlank() || exporter.trim().toLowerCase(Locale.ROOT).equals("none")) {
            return null;
        }
        try {
            OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                    // Defaults only: any OTEL_* variable or otel.* property the operator sets wins.
                    .addPropertiesSupplier(() -> Map.of(
                            "otel.service.name", DEFAULT_SERVICE_NAME,
                            // The build ships the JDK HTTP sender only (no OkHttp): OTLP over HTTP.
                            "otel.exporter.otlp.protocol", "http/protobuf",
                            "otel.metrics.exporter", "none",
                            "otel.logs.exporter", "none"))
                    .build().getOpenTelemetrySdk();
            log.info("tracing on: traces exporter {}", exporter.trim());
            return sdk;
        } catch (RuntimeException e) {
            throw new StartupException("OTEL_TRACES_EXPORTER=" + exporter.trim() + ": " + e.getMessage(), e);
        }
    }

    /** System property first, then the environment variable of the same name in upper case. */
    static String systemSetting(String property) {
        String value = System.getProperty(property);
        if (value != null) {
            return value;
        }
        return System.getenv(property.toUpperCase(Locale.ROOT).replace('.', '_'));
    }
}
