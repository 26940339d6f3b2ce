package io.playconnect.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.playconnect.core.spi.Broker;
import io.playconnect.core.trace.Tracing;
import io.playconnect.engine.SyncEngine;
import io.playconnect.http.HttpServer;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A started server: where it listens, what it runs, and how to stop it. {@link #close()} runs the
 * drain (readiness off, gateways, engine, HTTP, broker) within {@link ServerConfig#drainTimeout()}.
 * Made by {@link PlayConnectServer#start(ServerConfig)}.
 */
public final class RunningServer implements AutoCloseable {
    private final ServerConfig config;
    private final String tokenSecret;
    final Readiness readiness = new Readiness();
    final Listeners listeners = new Listeners();
    final List<Drainable> gateways = new ArrayList<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CompletableFuture<Boolean> terminated = new CompletableFuture<>();

    // Set by PlayConnectServer while starting, in this order; any may still be null if start failed.
    EventLoopGroup eventLoops;
    PrometheusMeterRegistry registry;
    AutoCloseable jvmMetrics;
    HttpServer http;
    InetSocketAddress httpAddress;
    Broker broker;
    boolean ownsBroker;
    SyncEngine engine;
    Tracing tracing = Tracing.noop();
    /** The SDK built from the OTEL_* settings, flushed and closed last; null when tracing is off or handed in. */
    OpenTelemetrySdk ownedTracing;

    /** A gateway as the drain sees it: it stops taking clients, tells them to go, and completes. */
    interface Drainable {
        String name();

        CompletableFuture<Void> drain();
    }

    RunningServer(ServerConfig config, String tokenSecret) {
        this.config = config;
        this.tokenSecret = tokenSecret;
    }

    public ServerConfig config() {
        return config;
    }

    /** What the command prints on start, one line each, in order. */
    public List<Listener> listeners() {
        return listeners.all();
    }

    public int httpPort() {
        return httpAddress.getPort();
    }

    public InetSocketAddress httpAddress() {
        return httpAddress;
    }

    /** {@code http://HOST:PORT}, with the port actually bound. */
    public String httpUrl() {
        return Listeners.url("http", config.host(), httpPort());
    }

    public Broker broker() {
        return broker;
    }

    /** The engine, when this process has the engine role. */
    public Optional<SyncEngine> engine() {
        return Optional.ofNullable(engine);
    }

    /** The HS256 secret in force: the configured one or the development secret made at start. */
    public String tokenSecret() {
        return tokenSecret;
    }

    public MeterRegistry meterRegistry() {
        return registry;
    }

    /** What {@code /readyz} answers 200 to. */
    public boolean isReady() {
        return readiness.notReadyReason().isEmpty();
    }

    public boolean isDraining() {
        return readiness.isDraining();
    }

    /** The HTTP server, for wiring gateways that share its port. */
    HttpServer httpServer() {
        return http;
    }

    /**
     * Starts the drain on its own thread, once; later calls return the same future. Completes with
     * true when every step finished cleanly within the drain timeout.
     */
    public CompletableFuture<Boolean> closeAsync() {
        if (closing.compareAndSet(false, true)) {
            Thread t = new Thread(() -> {
                boolean clean = false;
                try {
                    clean = shutdownSequence(false).run(config.drainTimeout());
                } finally {
                    // Whatever a step threw (an Error escapes the sequence), the drain is over: the
                    // process must exit (status 1) rather than wait for ever after SIGTERM.
                    terminated.complete(clean);
                }
            }, "pc-shutdown");
            t.start();
        }
        return terminated;
    }

    /** Undoes a start that failed half-way, on the caller's thread, logging the steps at DEBUG only. */
    void abortStart() {
        if (closing.compareAndSet(false, true)) {
            terminated.complete(shutdownSequence(true).run(config.drainTimeout()));
        }
    }

    /** Drains and stops; returns within the drain timeout (plus a little for the last steps). */
    @Override
    public void close() {
        awaitTermination();
    }

    /** Closes, then waits; true when the drain was clean. */
    boolean awaitTermination() {
        try {
            return closeAsync().get(config.drainTimeout().toMillis() + 2_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    /** Completes when a drain has finished; true when it was clean. */
    public CompletableFuture<Boolean> terminated() {
        return terminated;
    }

    private ShutdownSequence shutdownSequence(boolean quiet) {
        ShutdownSequence s = new ShutdownSequence(quiet);
        s.stepNow("stop accepting: /readyz answers 503", readiness::draining);
        s.step("draining gateways (" + gateways.size() + ")", () -> CompletableFuture.allOf(
                gateways.stream().map(Drainable::drain).toArray(CompletableFuture[]::new)));
        if (engine != null) {
            s.step("draining the engine: in-flight commands, room snapshots, partition leases", engine::drain);
            s.stepNow("closing the engine", engine::close);
        }
        if (http != null) {
            s.step("stopping the HTTP server", http::stop);
        }
        if (broker != null && ownsBroker) {
            s.stepNow("closing the broker", broker::close);
        }
        s.stepNow("closing meters", this::closeMeters);
        if (ownedTracing != null) {
            s.step("flushing and closing tracing", () -> toFuture(ownedTracing.shutdown()));
        }
        if (eventLoops != null) {
            s.step("stopping event loops", () -> PlayConnectServer.toFuture(
                    eventLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS)));
        }
        return s;
    }

    private static CompletableFuture<Void> toFuture(CompletableResultCode code) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        code.whenComplete(() -> done.complete(null));
        return done;
    }

    private void closeMeters() {
        try {
            if (jvmMetrics != null) {
                jvmMetrics.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException("closing JVM metrics failed", e);
        } finally {
            if (registry != null) {
                registry.close();
            }
        }
    }

    @Override
    public String toString() {
        return "RunningServer[" + (httpAddress == null ? "not bound" : httpUrl()) + ", roles=" + config.roles() + "]";
    }
}
