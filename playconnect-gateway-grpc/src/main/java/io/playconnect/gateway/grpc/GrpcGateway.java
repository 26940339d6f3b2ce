package io.playconnect.gateway.grpc;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.TlsServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.playconnect.core.spi.Broker;
import io.playconnect.edge.Edge;
import io.playconnect.edge.spi.GatewayContext;
import io.playconnect.edge.spi.GatewaySettings;
import io.playconnect.edge.spi.Listener;
import io.playconnect.edge.spi.ProtocolGateway;
import io.playconnect.http.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The gRPC gateway (protocol {@code grpc}), found with {@link java.util.ServiceLoader}: the
 * {@code playconnect.v1.SyncService} on {@code settings.host():settings.port()} (0 = any free port;
 * TLS when {@code grpc-tls-cert}/{@code grpc-tls-key} are set), with standard health checking
 * ({@code grpc.health.v1}, NOT_SERVING once draining) and server reflection (v1 and v1alpha). When
 * the context offers the {@link HttpServer}, the HTTP server API is mounted on it under
 * {@code /api/v1}. Snapshots are read through the {@link Broker} extension. Options: see
 * {@link GrpcConfig#fromSettings}.
 */
public final class GrpcGateway implements ProtocolGateway {
    public static final String PROTOCOL = "grpc";
    /** The protocol name HTTP API calls are counted and stamped under (origin.protocol of their events). */
    public static final String HTTP_PROTOCOL = "http";

    private static final Logger log = LoggerFactory.getLogger(GrpcGateway.class);

    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean drained = new AtomicBoolean();
    private final HealthStatusManager health = new HealthStatusManager();
    private volatile ScheduledThreadPoolExecutor timer;
    private volatile GatewayRuntime runtime;
    private volatile HttpApi httpApi;
    private volatile Server server;

    /** For {@link java.util.ServiceLoader}; everything is configured in {@link #start}. */
    public GrpcGateway() {
    }

    @Override
    public String protocol() {
        return PROTOCOL;
    }

    @Override
    public CompletableFuture<List<Listener>> start(GatewayContext context) {
        Objects.requireNonNull(context, "context");
        if (!started.compareAndSet(false, true)) {
            return CompletableFuture.failedFuture(new IllegalStateException("GrpcGateway can be started once"));
        }
        try {
            Edge edge = context.edge();
            GatewaySettings settings = context.settings();
            if (settings.sharesHttpPort()) {
                throw new IllegalStateException("the grpc gateway needs a port of its own (HTTP/2), not the HTTP port");
            }
            GrpcConfig config = GrpcConfig.fromSettings(settings, edge.limits().maxPayloadBytes());
            timer = newTimer();
            Snapshots snapshots = new Snapshots(context.extension(Broker.class).orElse(null), timer);
            GatewayRuntime rt = new GatewayRuntime(edge, config,
                    new ServiceSessions(edge, PROTOCOL, config.serviceSessionIdle(), timer), snapshots);
            runtime = rt;
            Server bound = build(rt, settings, config).start();
            server = bound;
            health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
            health.setStatus(SyncServiceBinding.serviceName(), ServingStatus.SERVING);
            // Mounted only once the port is bound: a server that retries on another port builds a
            // fresh gateway, and a path can be routed once.
            if (config.httpApi()) {
                context.extension(HttpServer.class).ifPresent(http -> mountHttpApi(http, rt, edge, config, snapshots));
            }
            InetSocketAddress address = (InetSocketAddress) bound.getListenSockets().get(0);
            String scheme = config.tls() ? "grpcs" : "grpc";
            return CompletableFuture.completedFuture(List.of(new Listener(scheme,
                    URI.create(scheme + "://" + host(address, settings.host()) + ":" + address.getPort()))));
        } catch (IOException | RuntimeException e) {
            close();
            return CompletableFuture.failedFuture(e);
        }
    }

    private Server build(GatewayRuntime rt, GatewaySettings settings, GrpcConfig config) throws IOException {
        ServerCredentials credentials = config.tls()
                ? TlsServerCredentials.create(config.tlsCert().toFile(), config.tlsKey().toFile())
                : InsecureServerCredentials.create();
        return NettyServerBuilder.forAddress(new InetSocketAddress(settings.host(), settings.port()), credentials)
                // Handlers never block: they hand work to the edge and answer from its callbacks.
                .directExecutor()
                .maxInboundMessageSize(config.maxMessageBytes())
                // Tokens may be up to 16 KiB.
                .maxInboundMetadataSize(32 * 1024)
                .permitKeepAliveTime(config.keepAliveMin().toMillis(), TimeUnit.MILLISECONDS)
                .permitKeepAliveWithoutCalls(true)
                .addService(ServerInterceptors.intercept(SyncServiceBinding.bind(rt), new CallInfo.Interceptor()))
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                .addService(ProtoReflectionService.newInstance())
                .build();
    }

    private void mountHttpApi(HttpServer http, GatewayRuntime rt, Edge edge, GrpcConfig config, Snapshots snapshots) {
        HttpApi api = new HttpApi(rt, new ServiceSessions(edge, HTTP_PROTOCOL, config.serviceSessionIdle(), timer),
                snapshots);
        api.install(http);
        httpApi = api;
    }

    private static ScheduledThreadPoolExecutor newTimer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "playconnect-grpc-timer");
            thread.setDaemon(true);
            return thread;
        });
        // Most timeouts are cancelled (the answer came first); do not keep them until they would fire.
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    /** The printable host of the listener: the configured one, or loopback for a wildcard bind. */
    static String host(InetSocketAddress bound, String configured) {
        if (bound.getAddress() == null || bound.getAddress().isAnyLocalAddress()) {
            return configured.equals("0.0.0.0") || configured.equals("::") ? "127.0.0.1" : configured;
        }
        if (bound.getAddress() instanceof Inet6Address) {
            return "[" + bound.getAddress().getHostAddress() + "]";
        }
        return bound.getAddress().getHostAddress();
    }

    /**
     * Stops accepting: health checks answer NOT_SERVING, new calls and API requests get
     * UNAVAILABLE (503). Open streams stay until the server's {@code edge.drain()} closes their
     * sessions: they then end with UNAVAILABLE (reconnect elsewhere).
     */
    @Override
    public CompletableFuture<Void> drain() {
        GatewayRuntime rt = runtime;
        if (rt != null) {
            rt.accepting = false;
        }
        // The health manager refuses a second terminal state (close() drains too): enter it once.
        if (drained.compareAndSet(false, true)) {
            health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.NOT_SERVING);
            health.setStatus(SyncServiceBinding.serviceName(), ServingStatus.NOT_SERVING);
            health.enterTerminalState();
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Closes the service sessions, stops the port (calls left are cancelled) and the timer. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        drain();
        GatewayRuntime rt = runtime;
        if (rt != null) {
            rt.sessions.close();
        }
        HttpApi api = httpApi;
        if (api != null) {
            api.close();
        }
        Server s = server;
        if (s != null) {
            s.shutdown();
            try {
                if (!s.awaitTermination(1, TimeUnit.SECONDS)) {
                    s.shutdownNow().awaitTermination(1, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                s.shutdownNow();
            }
        }
        ScheduledThreadPoolExecutor t = timer;
        if (t != null) {
            t.shutdownNow();
        }
        log.debug("grpc gateway closed");
    }

    /** For tests: the handlers' shared state, or null before start. */
    GatewayRuntime runtime() {
        return runtime;
    }

    /** The port the gateway listens on, or -1 before it started. */
    public int port() {
        Server s = server;
        return s == null ? -1 : s.getPort();
    }
}
