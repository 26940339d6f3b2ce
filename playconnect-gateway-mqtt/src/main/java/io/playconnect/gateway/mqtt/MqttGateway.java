package io.playconnect.gateway.mqtt;

import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.SessionStore;
import io.playconnect.edge.Edge;
import io.playconnect.edge.spi.GatewayContext;
import io.playconnect.edge.spi.GatewaySettings;
import io.playconnect.edge.spi.Listener;
import io.playconnect.edge.spi.ProtocolGateway;
import io.playconnect.edge.spi.StartOnce;
import io.playconnect.http.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The MQTT 3.1.1 and 5 gateway (protocol {@code mqtt}), found with {@link java.util.ServiceLoader}.
 * Listens on {@code settings.host():settings.port()} (0 = any free port; -1 = no TCP port, only
 * WebSocket) with TLS when {@code mqtt-tls-cert}/{@code mqtt-tls-key} are set, and mounts MQTT over
 * WebSocket at {@code /mqtt} on the {@link HttpServer} extension when the context offers a started
 * one. Plain (non-room) topics travel over the {@link Broker} extension; without it they are
 * refused, and retained messages are kept in one of its key-value buckets. Persistent sessions
 * (clean session 0, MQTT 5 session expiry) are stored in the {@link SessionStore} extension;
 * without it every session is clean. Options: see {@link MqttConfig#fromSettings}.
 */
public final class MqttGateway implements ProtocolGateway {
    public static final String PROTOCOL = "mqtt";

    private static final Logger log = LoggerFactory.getLogger(MqttGateway.class);

    private final ChannelGroup connections = new DefaultChannelGroup("mqtt", GlobalEventExecutor.INSTANCE);
    private final StartOnce startOnce = new StartOnce("MqttGateway");
    private volatile GatewayRuntime runtime;
    private volatile TcpServer server;

    /** For {@link java.util.ServiceLoader}; everything is configured in {@link #start}. */
    public MqttGateway() {
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
        MqttConfig config = MqttConfig.fromSettings(settings, edge.limits().maxPayloadBytes());
        if (config.allowAnonymous()) {
            log.warn("MQTT ANONYMOUS ACCESS IS ON (mqtt-allow-anonymous): clients without a password connect"
                    + " with the anonymous token's rights. Development only: never in production.");
        }
        Broker broker = context.extension(Broker.class).orElse(null);
        PlainBus bus = broker == null ? null : new PlainBus(broker, config.plainSubjectPrefix());
        Sessions sessions = new Sessions(context.extension(SessionStore.class).orElse(null), broker);
        RetainedMessages retained = broker == null ? null : new RetainedMessages(broker);
        GatewayRuntime rt = new GatewayRuntime(edge, config, bus, connections, sessions, retained);
        runtime = rt;
        if (settings.port() < 0) {
            Listener ws = mountWebSocket(context, rt);
            if (ws == null) {
                throw new IllegalStateException("the mqtt gateway has no port (port -1) and no started HTTP server"
                        + " to mount " + config.websocketPath() + " on");
            }
            return CompletableFuture.completedFuture(List.of(ws));
        }
        TcpServer own = new TcpServer(rt, settings.host(), settings.port());
        server = own;
        // The WebSocket route is mounted only once the port is bound: a server that retries on
        // another port builds a fresh gateway, and a path can be routed once.
        return own.start().thenApply(bound -> {
            List<Listener> listeners = new ArrayList<>();
            String scheme = own.tls() ? "mqtts" : PROTOCOL;
            listeners.add(Listener.at(scheme, scheme, bound, ""));
            try {
                Listener ws = mountWebSocket(context, rt);
                if (ws != null) {
                    listeners.add(ws);
                }
            } catch (RuntimeException e) {
                own.stop();
                throw e;
            }
            return List.copyOf(listeners);
        });
    }

    private static Listener mountWebSocket(GatewayContext context, GatewayRuntime rt) {
        String path = rt.config.websocketPath();
        HttpServer http = path == null ? null : context.extension(HttpServer.class).orElse(null);
        InetSocketAddress bound = http == null ? null : http.boundAddress();
        if (bound == null) {
            return null;
        }
        http.upgradeRoute(path, new WebSocketTransport(rt));
        return Listener.at("mqtt-ws", "ws", bound, path);
    }

    /**
     * Stops accepting connections (the port closes; WebSocket handshakes get a 503). Open
     * connections stay until the server's {@code edge.drain()} closes their sessions: MQTT 5 clients
     * then get DISCONNECT 0x8B (server shutting down).
     */
    @Override
    public CompletableFuture<Void> drain() {
        GatewayRuntime rt = runtime;
        if (rt != null) {
            rt.accepting = false;
        }
        TcpServer own = server;
        if (own != null) {
            own.stopListening();
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Stops accepting, cuts every connection left and stops the gateway's port. Idempotent. */
    @Override
    public void close() {
        GatewayRuntime rt = runtime;
        boolean drained = rt != null && !rt.accepting;
        drain();
        if (drained) {
            // After a drain the edge has told every session to go: each connection writes its
            // DISCONNECT (0x8B) and then closes. Cutting them at once here raced those writes, and
            // clients saw a lost connection instead of the reason.
            connections.newCloseFuture().awaitUninterruptibly(rt.config.closeTimeout().toMillis() + 250);
        }
        connections.close().awaitUninterruptibly();
        if (rt != null) {
            // Persistent sessions store their final state as their connections close: let those
            // writes finish before the server closes the session store.
            rt.sessions.awaitEnds(rt.config.closeTimeout());
        }
        TcpServer own = server;
        server = null;
        if (own != null) {
            own.stop().join();
        }
    }

    /** What the connections of this gateway share (null before {@link #start}); tests read its counters. */
    GatewayRuntime runtime() {
        return runtime;
    }

    /** Open MQTT connections (TCP and WebSocket). */
    public int connectionCount() {
        return connections.size();
    }
}
