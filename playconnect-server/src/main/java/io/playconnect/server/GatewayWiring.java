package io.playconnect.server;

import io.playconnect.broker.memory.InMemoryPresenceStore;
import io.playconnect.broker.memory.InMemorySessionStore;
import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.PresenceStore;
import io.playconnect.core.spi.SessionStore;
import io.playconnect.store.redis.RedisPresenceStore;
import io.playconnect.store.redis.RedisSessionStore;
import io.playconnect.edge.Edge;
import io.playconnect.edge.auth.JwtTokenVerifier;
import io.playconnect.edge.spi.GatewayContext;
import io.playconnect.edge.spi.GatewaySettings;
import io.playconnect.edge.spi.Listener;
import io.playconnect.edge.spi.ProtocolGateway;
import io.playconnect.http.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;

/**
 * Starts the shared edge and every {@link ProtocolGateway} on the class path (found with
 * {@link ServiceLoader}), each on its own port or on the HTTP port, and registers one drainable
 * that stops them in order: gateways stop accepting, the edge tells clients to go (1001) after
 * in-flight commands finish, then both close.
 */
final class GatewayWiring {
    private static final Logger log = LoggerFactory.getLogger(GatewayWiring.class);

    /** What each protocol's port is called on the command line, and where the config keeps it. */
    private record PortOption(String option, ListenPort port) {
    }

    private GatewayWiring() {
    }

    static void start(RunningServer server, ServerConfig config) {
        PresenceStore presence = presenceStore(config);
        Edge edge = Edge.newBuilder()
                .broker(server.broker)
                .presenceStore(presence)
                .tokenVerifier(JwtTokenVerifier.newBuilder()
                        .hmacSecret(server.tokenSecret().getBytes(StandardCharsets.UTF_8)).build())
                .meterRegistry(server.registry)
                .limits(config.edgeLimits())
                .partitions(config.partitions())
                .tracing(server.tracing)
                .build();
        PlayConnectServer.await("starting the edge", edge.start());
        List<ProtocolGateway> started = new ArrayList<>();
        SessionStore sessions = sessionStore(config);
        server.gateways.add(new EdgeDrain(edge, started, presence, sessions));
        for (ServiceLoader.Provider<ProtocolGateway> provider : chosen(config)) {
            String protocol = provider.get().protocol();
            PortOption port = portOption(protocol, config);
            if (port.port() == null) {
                started.add(startShared(server, config, edge, provider.get(), sessions));
            } else {
                started.add(startOwnPort(server, config, edge, provider, port, sessions));
            }
        }
    }

    /** The gateways on the class path that {@code --gateways} names (all of them when it is not given). */
    private static List<ServiceLoader.Provider<ProtocolGateway>> chosen(ServerConfig config) {
        List<ServiceLoader.Provider<ProtocolGateway>> all = ServiceLoader.load(ProtocolGateway.class).stream().toList();
        if (config.gateways().isEmpty()) {
            return all;
        }
        java.util.Set<String> known = new java.util.TreeSet<>();
        all.forEach(p -> known.add(p.get().protocol()));
        for (String name : config.gateways()) {
            if (!known.contains(name)) {
                throw new StartupException("--gateways: no gateway '" + name + "' in this build (there are: "
                        + String.join(", ", known) + ")");
            }
        }
        return all.stream().filter(p -> config.gateways().contains(p.get().protocol())).toList();
    }

    private static PresenceStore presenceStore(ServerConfig config) {
        if (config.store().equals("memory")) {
            return InMemoryPresenceStore.newBuilder().build();
        }
        try {
            return RedisPresenceStore.newBuilder().uri(config.store())
                    .keyPrefix(config.tenant().map(t -> t + "-pc").orElse("pc")).build();
        } catch (RuntimeException e) {
            throw new StartupException("--store " + config.store() + ": " + e.getMessage(), e);
        }
    }

    /** Persistent MQTT sessions: in memory with the embedded store, else in the same Redis as presence. */
    private static SessionStore sessionStore(ServerConfig config) {
        if (config.store().equals("memory")) {
            return InMemorySessionStore.newBuilder().build();
        }
        try {
            return RedisSessionStore.newBuilder().uri(config.store())
                    .keyPrefix(config.tenant().map(t -> t + "-pc").orElse("pc")).build();
        } catch (RuntimeException e) {
            throw new StartupException("--store " + config.store() + ": " + e.getMessage(), e);
        }
    }

    private static PortOption portOption(String protocol, ServerConfig config) {
        switch (protocol) {
            case "websocket":
                return new PortOption("--ws-port", config.wsPort().orElse(null));
            case "mqtt":
                return new PortOption("--mqtt-port", config.mqttPort());
            case "grpc":
                return new PortOption("--grpc-port", config.grpcPort());
            default:
                return new PortOption("--" + protocol + "-port", null);
        }
    }

    private static GatewayContext context(RunningServer server, ServerConfig config, Edge edge, int port,
                                          SessionStore sessions) {
        return GatewayContext.newBuilder()
                .edge(edge)
                .settings(GatewaySettings.newBuilder().host(config.host()).port(port)
                        .allowedOrigins(config.allowedOrigins())
                        .options(options(server, config)).build())
                .meterRegistry(server.registry)
                .extension(HttpServer.class, server.http)
                .extension(Broker.class, server.broker)
                .extension(SessionStore.class, sessions)
                .build();
    }

    /**
     * The configured gateway options, plus the development token MQTT's anonymous mode acts with:
     * anonymous clients are still sessions of the edge, so they need a principal (every room).
     */
    private static Map<String, String> options(RunningServer server, ServerConfig config) {
        if (!"true".equals(config.gatewayOptions().get("mqtt-allow-anonymous"))) {
            return config.gatewayOptions();
        }
        Map<String, String> options = new java.util.HashMap<>(config.gatewayOptions());
        options.put("mqtt-anonymous-token", new JwtMinter(server.tokenSecret()).mint("anonymous",
                Map.of("*", List.of("subscribe", "publish", "presence")), java.time.Duration.ofDays(365)));
        return options;
    }

    private static ProtocolGateway startShared(RunningServer server, ServerConfig config, Edge edge, ProtocolGateway gateway,
                                               SessionStore sessions) {
        List<Listener> listeners = PlayConnectServer.await("starting the " + gateway.protocol() + " gateway",
                gateway.start(context(server, config, edge, -1, sessions)));
        listeners.forEach(l -> server.listeners.add(new io.playconnect.server.Listener(l.name(), l.uri().toString(), "")));
        return gateway;
    }

    private static ProtocolGateway startOwnPort(RunningServer server, ServerConfig config, Edge edge,
                                                ServiceLoader.Provider<ProtocolGateway> provider, PortOption port,
                                                SessionStore sessions) {
        List<ProtocolGateway> holder = new ArrayList<>();
        List<Listener> printed = new ArrayList<>();
        Listeners.Bound bound = PlayConnectServer.await("binding " + port.option(),
                server.listeners.bind(port.option(), port.port(), p -> {
                    // A gateway that failed to bind is not reused: each attempt gets a fresh one.
                    ProtocolGateway gateway = provider.get();
                    return gateway.start(context(server, config, edge, p, sessions)).thenApply(listeners -> {
                        holder.add(gateway);
                        printed.clear();
                        printed.addAll(listeners);
                        return new InetSocketAddress(config.host(), listeners.get(0).uri().getPort());
                    });
                }));
        for (Listener l : printed) {
            // Only the listener on the replaced port gets the note; a gateway's other listeners
            // (MQTT over WebSocket on the HTTP port) are where they were asked to be.
            String note = l.uri().getPort() == bound.port() ? bound.replacementNote() : "";
            server.listeners.add(new io.playconnect.server.Listener(l.name(), l.uri().toString(), note));
        }
        return holder.get(holder.size() - 1);
    }

    /** Drains the gateways, then the edge, then closes both: one step of the server's drain. */
    private record EdgeDrain(Edge edge, List<ProtocolGateway> gateways, PresenceStore presence, SessionStore sessions)
            implements RunningServer.Drainable {
        @Override
        public String name() {
            return "edge and gateways";
        }

        @Override
        public CompletableFuture<Void> drain() {
            return CompletableFuture.allOf(gateways.stream().map(ProtocolGateway::drain).toArray(CompletableFuture[]::new))
                    .handle((v, e) -> null)
                    .thenCompose(v -> edge.drain())
                    .handle((v, e) -> {
                        if (e != null) {
                            log.warn("edge drain failed", e);
                        }
                        gateways.forEach(ProtocolGateway::close);
                        edge.close();
                        closeQuietly(presence);
                        closeQuietly(sessions);
                        return null;
                    });
        }
    }

    private static void closeQuietly(Object resource) {
        if (resource instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("closing {} failed", resource, e);
            }
        }
    }

    static Map<String, String> defaultGatewayOptions() {
        // A kernel send buffer of several MB would hide a client that stopped reading for a long time.
        return Map.of("socket-send-buffer", Integer.toString(64 * 1024));
    }
}
