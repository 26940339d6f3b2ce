package io.playconnect.server;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.playconnect.broker.memory.InMemoryBroker;
import io.playconnect.broker.nats.JetStreamBroker;
import io.playconnect.broker.nats.JetStreamBrokerOptions;
import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.BrokerException;
import io.playconnect.core.trace.Tracing;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.playconnect.store.mvstore.MvStoreBroker;
import io.playconnect.engine.SyncEngine;
import io.playconnect.http.HttpServer;
import io.playconnect.server.web.DemoToken;
import io.playconnect.server.web.StaticFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Wires and starts the product from a {@link ServerConfig}: the only place that knows every part.
 * Order: HTTP port (so health answers while the rest starts), broker, engine, gateways; a failure
 * at any step stops what was started and throws.
 */
public final class PlayConnectServer {
    private static final Logger log = LoggerFactory.getLogger(PlayConnectServer.class);
    static final int MAX_HTTP_BODY = 64 * 1024;
    private static final long STEP_TIMEOUT_SECONDS = 30;

    private PlayConnectServer() {
    }

    /**
     * Starts everything and returns once it is ready to serve. Throws {@link StartupException}
     * (one line naming the option) for a configuration that cannot run, such as an explicit port
     * that is taken.
     */
    public static RunningServer start(ServerConfig config) {
        checkAvailable(config);
        RunningServer server = new RunningServer(config, config.tokenSecret().orElseGet(PlayConnectServer::devSecret));
        try {
            startParts(server, config);
            server.readiness.started();
            log.info("started: {}", server);
            return server;
        } catch (RuntimeException e) {
            server.abortStart();
            throw e;
        }
    }

    private static void startParts(RunningServer server, ServerConfig config) {
        server.eventLoops = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("pc-io"), NioIoHandler.newFactory());
        startMetrics(server);
        startTracing(server, config);
        startHttp(server, config);
        server.broker = connectBroker(config);
        server.ownsBroker = config.sharedBroker().isEmpty();
        OpsMetrics.bindBroker(server.registry, server.broker);
        OpsMetrics.bindLimits(server.registry, config);
        if (config.hasRole(Role.ENGINE)) {
            startEngine(server, config);
        }
        if (config.hasRole(Role.GATEWAY)) {
            GatewayWiring.start(server, config);
        }
    }


    private static void startMetrics(RunningServer server) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        OpsMetrics.installFilters(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        Gauge.builder(MetricNames.SERVER_DRAINING, server, s -> s.isDraining() ? 1 : 0)
                .description("1 while the server drains after SIGTERM").register(registry);
        server.registry = registry;
        server.jvmMetrics = gc;
    }

    /** An embedder's OpenTelemetry, or the SDK the OTEL_* settings ask for, or none (tracing off). */
    private static void startTracing(RunningServer server, ServerConfig config) {
        if (config.openTelemetry().isPresent()) {
            server.tracing = Tracing.of(config.openTelemetry().get());
            return;
        }
        OpenTelemetrySdk sdk = TracingSetup.fromSettings(TracingSetup::systemSetting);
        if (sdk != null) {
            server.ownedTracing = sdk;
            server.tracing = Tracing.of(sdk);
        }
    }

    private static void startHttp(RunningServer server, ServerConfig config) {
        Listeners.Bound bound = await("binding --http-port", server.listeners.bind("--http-port", config.httpPort(), port -> {
            HttpServer http = HttpServer.newBuilder().host(config.host()).port(port)
                    .maxContentLength(MAX_HTTP_BODY).eventLoopGroup(server.eventLoops).build();
            return http.start().thenApply(address -> {
                server.http = http;
                return address;
            });
        }));
        server.httpAddress = bound.address();
        OpsEndpoints.install(server.http, server.readiness, server.registry);
        StaticFiles.fromClasspath(PlayConnectServer.class.getClassLoader(), StaticFiles.DEFAULT_ROOT).install(server.http);
        if (config.dev()) {
            log.warn("--dev: GET {} hands out tokens to anyone who can reach this port; never use it in production",
                    DemoToken.PATH);
            server.http.route(DemoToken.PATH, new DemoToken(new JwtMinter(server.tokenSecret()), java.time.Clock.systemUTC()));
        }
        String note = "health, metrics";
        if (bound.replacedDefault()) {
            note += "; " + bound.replacementNote();
        }
        server.listeners.add(new Listener("http", Listeners.url("http", config.host(), bound.port()), note));
    }

    private static void startEngine(RunningServer server, ServerConfig config) {
        EngineMetrics metrics = new EngineMetrics(server.registry);
        SyncEngine engine = SyncEngine.newBuilder()
                .broker(server.broker)
                .partitions(config.partitions())
                .leaseTtl(config.leaseTtl())
                .listener(metrics)
                .tracing(server.tracing)
                .build();
        server.engine = engine;
        server.readiness.engine(engine, config.broker().equals("memory") && config.sharedBroker().isEmpty());
        metrics.bindGauges(engine);
        OpsMetrics.bindPartitions(server.registry, config.partitions());
        try {
            await("starting the engine", engine.start());
        } catch (IllegalStateException e) {
            if (String.valueOf(e.getMessage()).contains("partition count mismatch")) {
                throw new StartupException("--partitions " + config.partitions() + ": " + e.getMessage(), e);
            }
            throw e;
        }
        server.readiness.engineStarted();
        log.info("engine owns {} of {} partitions", engine.ownedPartitions().size(), engine.partitions());
    }

    /** The in-process broker, a shared one handed in by an embedder, or NATS JetStream. */
    private static Broker connectBroker(ServerConfig config) {
        if (config.sharedBroker().isPresent()) {
            return config.sharedBroker().get();
        }
        if (config.dataDir().isPresent()) {
            return openDataDir(config);
        }
        if (config.broker().equals("memory")) {
            return InMemoryBroker.newBuilder().roomLogConfig(config.roomLogConfig()).build();
        }
        try {
            return JetStreamBroker.connect(JetStreamBrokerOptions.newBuilder().url(config.broker())
                    .tenant(config.tenant().orElse(null)).replicas(config.replicas())
                    .roomLogConfig(config.roomLogConfig()).connectionName("playconnect").build());
        } catch (RuntimeException e) {
            throw new StartupException("--broker " + config.broker() + ": " + e.getMessage(), e);
        }
    }

    /** The in-process broker with room logs and snapshots in the data directory; closed by the drain. */
    private static Broker openDataDir(ServerConfig config) {
        try {
            MvStoreBroker broker = MvStoreBroker.newBuilder().directory(config.dataDir().get())
                    .roomLogConfig(config.roomLogConfig()).build();
            log.info("data directory {}: room logs and snapshots are synced to disk before each ack", broker.directory());
            return broker;
        } catch (BrokerException e) {
            throw new StartupException("--data-dir " + config.dataDir().get() + ": " + e.getMessage(), e);
        }
    }

    /** Refuses what the options accept but this build cannot do yet, naming the option. */
    static void checkAvailable(ServerConfig config) {
        if (config.dataDir().isPresent() && (!config.broker().equals("memory") || config.sharedBroker().isPresent())) {
            throw new StartupException("--data-dir " + config.dataDir().get() + ": only with the in-process broker; "
                    + "with --broker " + config.broker() + " the broker keeps the data (JetStream's store directory)");
        }
        if (!config.gateways().isEmpty() && !config.hasRole(Role.GATEWAY)) {
            throw new StartupException("--gateways " + String.join(",", config.gateways())
                    + ": only with the gateway role (--roles gateway)");
        }
        if (!config.hasRole(Role.ENGINE) && config.sharedBroker().isEmpty() && config.broker().equals("memory")) {
            throw new StartupException("--roles gateway: without the engine role this process needs a broker shared "
                    + "with an engine: give --broker nats://...");
        }
        if (config.hasRole(Role.GATEWAY) && !config.broker().equals("memory") && config.store().equals("memory")
                && config.sharedBroker().isEmpty()) {
            log.warn("--store memory with --broker {}: presence is only shared within this process; give --store "
                    + "redis://... to share it across gateways", config.broker());
        }
    }

    static String devSecret() {
        byte[] key = new byte[ServerConfig.MIN_SECRET_BYTES];
        new SecureRandom().nextBytes(key);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(key);
        log.warn("no --token-secret (or PLAYCONNECT_TOKEN_SECRET) given: using a development secret for this run "
                + "only; tokens must be minted with it: playconnect token --token-secret {} --sub NAME --room 'ROOM'", secret);
        return secret;
    }

    /** Waits for a start step, bounded; unwraps its failure so callers see the real exception. */
    static <T> T await(String what, Future<T> future) {
        try {
            return future.get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(what + " failed: " + cause, cause);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new IllegalStateException(what + " took more than " + STEP_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + what, e);
        }
    }

    static CompletableFuture<Void> toFuture(io.netty.util.concurrent.Future<?> nettyFuture) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        nettyFuture.addListener(f -> done.complete(null));
        return done;
    }
}
