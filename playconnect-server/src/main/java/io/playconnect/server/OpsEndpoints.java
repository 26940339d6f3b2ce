package io.playconnect.server;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.playconnect.http.HttpResponse;
import io.playconnect.http.HttpServer;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** {@code /healthz}, {@code /readyz} and {@code /metrics} on the HTTP port. */
final class OpsEndpoints {
    static final String HEALTH = "/healthz";
    static final String READY = "/readyz";
    static final String METRICS = "/metrics";
    /** Prometheus text exposition format 0.0.4. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private OpsEndpoints() {
    }

    static void install(HttpServer http, Readiness readiness, PrometheusMeterRegistry registry) {
        http.route(HEALTH, req -> CompletableFuture.completedFuture(HttpResponse.json(200, "{\"status\":\"up\"}")));
        http.route(READY, req -> CompletableFuture.completedFuture(ready(readiness)));
        // A scrape is CPU-only work over in-memory meters (no I/O), short enough for the event loop.
        http.route(METRICS, req -> CompletableFuture.completedFuture(
                HttpResponse.of(200, PROMETHEUS_TEXT, registry.scrape().getBytes(StandardCharsets.UTF_8))));
    }

    static HttpResponse ready(Readiness readiness) {
        Optional<String> reason = readiness.notReadyReason();
        if (reason.isEmpty()) {
            return HttpResponse.json(200, "{\"status\":\"ready\"}");
        }
        return HttpResponse.json(503, "{\"status\":\"not_ready\",\"reason\":" + HttpResponse.quote(reason.get()) + "}");
    }
}
