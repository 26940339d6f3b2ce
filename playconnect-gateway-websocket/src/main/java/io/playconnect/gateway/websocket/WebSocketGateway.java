package io.playconnect.gateway.websocket;

import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.playconnect.edge.Edge;
import io.playconnect.edge.spi.GatewayContext;
import io.playconnect.edge.spi.GatewaySettings;
import io.playconnect.edge.spi.Listener;
import io.playconnect.edge.spi.ProtocolGateway;
import io.playconnect.edge.spi.StartOnce;
import io.playconnect.http.HttpServer;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The WebSocket gateway (protocol {@code websocket}), found with {@link java.util.ServiceLoader}.
 * With {@link GatewaySettings#sharesHttpPort()} it mounts {@code /ws} on the {@link HttpServer}
 * given as a context extension, which must already be started (its bound port goes into the
 * listener URL); otherwise it listens on {@code settings.host():settings.port()} itself.
 */
public final class WebSocketGateway implements ProtocolGateway {
    public static final String PROTOCOL = "websocket";
    /** The name of this gateway's listener line. */
    public static final String LISTENER_NAME = "ws";

    private final ChannelGroup connections = new DefaultChannelGroup("websocket", GlobalEventExecutor.INSTANCE);
    private final StartOnce startOnce = new StartOnce("WebSocketGateway");
    private volatile WebSocketUpgrade upgrade;
    private volatile java.time.Duration closeTimeout = java.time.Duration.ZERO;
    private volatile boolean draining;
    private volatile StandaloneServer server;

    /** For {@link java.util.ServiceLoader}; everything is configured in {@link #start}. */
    public WebSocketGateway() {
    }

    @Override
    public String protocol() {
        return PROTOCOL;
    }

    @Override
    public CompletableFuture<List<Listener>> start(GatewayContext context) {
        Objects.requireNonNull(context, "context");
        return startOnce.run(() -> startWith(context));
    }

    private CompletableFuture<List<Listener>> startWith(GatewayContext context) {
        Edge edge = context.edge();
        GatewaySettings settings = context.settings();
        WebSocketConfig config = WebSocketConfig.fromSettings(settings, edge.limits().maxPayloadBytes());
        WebSocketUpgrade up = new WebSocketUpgrade(edge, config, connections);
        upgrade = up;
        closeTimeout = config.closeTimeout();
        if (settings.sharesHttpPort()) {
            return CompletableFuture.completedFuture(List.of(mount(context, config, up)));
        }
        StandaloneServer own = new StandaloneServer(config, up, settings.host(), settings.port());
        server = own;
        return own.start().thenApply(bound -> List.of(listener(bound, config)));
    }

    private static Listener mount(GatewayContext context, WebSocketConfig config, WebSocketUpgrade up) {
        HttpServer http = context.extension(HttpServer.class).orElseThrow(() -> new IllegalStateException(
                "the websocket gateway shares the HTTP port, but the gateway context has no "
                        + HttpServer.class.getName() + " extension"));
        InetSocketAddress bound = http.boundAddress();
        if (bound == null) {
            throw new IllegalStateException("start the HTTP server before the websocket gateway that shares its port");
        }
        http.upgradeRoute(config.path(), up);
        return listener(bound, config);
    }

    /** {@code ws://HOST:PORT/ws}, with the loopback address when bound to every interface. */
    private static Listener listener(InetSocketAddress bound, WebSocketConfig config) {
        return Listener.at(LISTENER_NAME, "ws", bound, config.path());
    }

    /**
     * Stops accepting handshakes (they get HTTP 503 with {@code Retry-After}); open connections
     * stay until the server's {@code edge.drain()} closes their sessions with 1001.
     */
    @Override
    public CompletableFuture<Void> drain() {
        draining = true;
        WebSocketUpgrade up = upgrade;
        if (up != null) {
            up.stopAccepting();
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Refuses handshakes, cuts every connection left and stops the gateway's own port. Idempotent. */
    @Override
    public void close() {
        boolean drained = draining;
        drain();
        if (drained) {
            // After a drain the edge has told every session to go: each connection writes its close
            // frame (1001) and then closes, or is cut after the close timeout. Let them, so the
            // clients learn why; cutting them at once here would lose frames still being written.
            connections.newCloseFuture().awaitUninterruptibly(closeTimeout.toMillis() + 250);
        }
        connections.close();
        StandaloneServer own = server;
        server = null;
        if (own != null) {
            own.stop().join();
        }
    }
}
