package io.playconnect.server;

import io.opentelemetry.sdk.OpenTelemetrySdk;

import java.util.Map;

/** Test access to the package-private {@link TracingSetup}. */
public final class TracingSetupAccess {
    private TracingSetupAccess() {
    }

    public static OpenTelemetrySdk fromSettings(Map<String, String> settings) {
        return TracingSetup.fromSettings(settings::get);
    }
}
