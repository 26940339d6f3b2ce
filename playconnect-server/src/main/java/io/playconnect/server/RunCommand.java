package io.playconnect.server;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.playconnect.core.spi.RoomLogConfig;
import io.playconnect.edge.limits.EdgeLimits;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code playconnect run}: starts the server in this process and prints where it listens. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = "Start PlayConnect Sync in this process (the in-process broker by default) and print one "
                + "line per listener, then 'ready'. SIGTERM drains and exits.",
        footer = {"", "Every option can also come from the environment (PLAYCONNECT_HTTP_PORT for --http-port) or "
                + "from the --config file (http-port=8081). A flag wins over the environment, the environment over "
                + "the file, the file over the default. A default port that is taken is replaced by a free one; a "
                + "port you set is never replaced."})
final class RunCommand implements Callable<Integer> {
    private final PlayConnectCommand.Context context;

    @Option(names = "--host", paramLabel = "HOST", converter = Converters.Host.class,
            description = "Interface to listen on (default: 127.0.0.1).")
    String host;

    @Option(names = "--http-port", paramLabel = "PORT", converter = Converters.Port.class,
            description = "HTTP port: health, readiness, metrics; WebSocket too unless --ws-port (default: 8080).")
    Integer httpPort;

    @Option(names = "--ws-port", paramLabel = "PORT", converter = Converters.Port.class,
            description = "WebSocket port (default: the HTTP port, shared).")
    Integer wsPort;

    @Option(names = "--mqtt-port", paramLabel = "PORT", converter = Converters.Port.class,
            description = "MQTT port (default: 1883). No MQTT gateway in this build yet.")
    Integer mqttPort;

    @Option(names = "--grpc-port", paramLabel = "PORT", converter = Converters.Port.class,
            description = "gRPC port (default: 9090). No gRPC gateway in this build yet.")
    Integer grpcPort;

    @Option(names = "--roles", paramLabel = "ROLE", split = ",", converter = Converters.RoleName.class,
            description = "What this process does: engine, gateway or both (default: engine,gateway).")
    List<Role> roles;

    @Option(names = "--gateways", paramLabel = "PROTOCOL", split = ",", converter = Converters.GatewayName.class,
            description = "Which protocol gateways the gateway role starts: websocket, mqtt, grpc (default: all).")
    List<String> gateways;

    @Option(names = "--broker", paramLabel = "URL", converter = Converters.BrokerUrl.class,
            description = "'memory' (in-process) or nats://HOST:PORT (not in this build yet) (default: memory).")
    String broker;

    @Option(names = "--store", paramLabel = "URL", converter = Converters.StoreUrl.class,
            description = "Presence and sessions: 'memory' or redis://HOST:PORT (not in this build yet) (default: memory).")
    String store;

    @Option(names = "--token-secret", paramLabel = "SECRET", converter = Converters.Secret.class,
            description = "HS256 secret for client tokens, at least 32 bytes (default: a random development "
                    + "secret, printed on start).")
    String tokenSecret;

    @Option(names = "--partitions", paramLabel = "N", converter = Converters.Partitions.class,
            description = "Room partitions, 1 to 4096; must match every engine on the broker (default: 16).")
    Integer partitions;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Keep room logs and snapshots on disk in DIR "
            + "(in-process broker only); each acknowledged event is synced to disk first (default: none, in memory).")
    Path dataDir;

    @Option(names = "--replicas", paramLabel = "N", converter = Converters.Replicas.class,
            description = "Copies of each JetStream stream and bucket, 1 to 5, with --broker nats://; 3 on a "
                    + "three-node cluster keeps every acknowledged event through the loss of a node (default: 1).")
    Integer replicas;

    @Option(names = "--lease-ttl", paramLabel = "DURATION", converter = Converters.LeaseTtl.class,
            description = "How long an engine's partition lease lasts unrenewed: how soon other engines take over "
                    + "from a dead or paused one; shorter means faster failover but more lease writes and less "
                    + "tolerance for pauses (default: 10s).")
    Duration leaseTtl;

    @Option(names = "--command-timeout", paramLabel = "DURATION", converter = Converters.CommandTimeout.class,
            description = "How long a gateway waits for the engine before telling the client outcome_unknown "
                    + "(default: 5s).")
    Duration commandTimeout;

    @Option(names = "--tenant", paramLabel = "NAME", converter = Converters.Tenant.class,
            description = "Prefix of every broker subject, stream, bucket and store key, so several deployments "
                    + "share one NATS and Redis (default: none).")
    String tenant;

    @Option(names = "--mqtt-allow-anonymous", arity = "0..1", fallbackValue = "true",
            description = "DEVELOPMENT ONLY: MQTT clients without a token may use every topic (default: false).")
    Boolean mqttAllowAnonymous;

    @Option(names = "--allowed-origin", paramLabel = "ORIGIN",
            description = "A browser Origin allowed to open WebSocket connections, e.g. https://game.example; "
                    + "repeatable (default: any origin).")
    List<String> allowedOrigins;

    @Option(names = "--dev", arity = "0..1", fallbackValue = "true",
            description = "DEVELOPMENT ONLY: GET /demo/token hands a token for one room to anyone (default: false).")
    Boolean dev;

    @Option(names = "--max-connections", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "Client connections this process accepts before shedding load (default: 10000).")
    Integer maxConnections;

    @Option(names = "--max-connections-per-ip", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "Concurrent connections from one address (default: 100).")
    Integer maxConnectionsPerIp;

    @Option(names = "--connections-per-second-per-ip", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "New connections per second from one address (default: 20).")
    Integer connectionsPerSecondPerIp;

    @Option(names = "--messages-per-second", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "Messages per second one connection may send, sustained (default: 50).")
    Integer messagesPerSecond;

    @Option(names = "--message-burst", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "Messages one connection may send at once above that rate (default: 100).")
    Integer messageBurst;

    @Option(names = "--log-max-records", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "Records each room's log keeps for resume (default: 10000).")
    Integer logMaxRecords;

    @Option(names = "--config", paramLabel = "FILE", description = "A key=value file of options (http-port=8081).")
    Path config;

    RunCommand(PlayConnectCommand.Context context) {
        this.context = context;
    }

    /** The options as a server configuration: a port nobody set stays a replaceable default. */
    ServerConfig toConfig() {
        ServerConfig.Builder b = ServerConfig.newBuilder()
                .httpPort(port(httpPort, ServerConfig.DEFAULT_HTTP_PORT))
                .mqttPort(port(mqttPort, ServerConfig.DEFAULT_MQTT_PORT))
                .grpcPort(port(grpcPort, ServerConfig.DEFAULT_GRPC_PORT))
                .wsPort(wsPort == null ? null : ListenPort.explicit(wsPort))
                .tokenSecret(tokenSecret)
                .dataDir(dataDir);
        if (host != null) {
            b.host(host);
        }
        if (roles != null) {
            b.roles(EnumSet.copyOf(roles));
        }
        if (gateways != null) {
            b.gateways(gateways);
        }
        if (broker != null) {
            b.broker(broker);
        }
        if (store != null) {
            b.store(store);
        }
        if (partitions != null) {
            b.partitions(partitions);
        }
        b.tenant(tenant);
        if (leaseTtl != null) {
            b.leaseTtl(leaseTtl);
        }
        if (replicas != null) {
            b.replicas(replicas);
        }
        if (Boolean.TRUE.equals(mqttAllowAnonymous)) {
            b.gatewayOption("mqtt-allow-anonymous", "true");
        }
        b.edgeLimits(edgeLimits());
        b.dev(Boolean.TRUE.equals(dev));
        if (allowedOrigins != null) {
            b.allowedOrigins(allowedOrigins);
        }
        if (logMaxRecords != null) {
            b.roomLogConfig(RoomLogConfig.newBuilder().maxRecordsPerRoom(Math.max(2, logMaxRecords)).build());
        }
        return b.build();
    }

    private EdgeLimits edgeLimits() {
        EdgeLimits.Builder limits = EdgeLimits.defaults().toBuilder();
        if (maxConnections != null) {
            limits.maxConnections(maxConnections);
        }
        if (maxConnectionsPerIp != null) {
            limits.maxConnectionsPerIp(maxConnectionsPerIp);
        }
        if (connectionsPerSecondPerIp != null) {
            limits.connectionsPerSecondPerIp(connectionsPerSecondPerIp);
        }
        if (messagesPerSecond != null) {
            limits.messagesPerSecond(messagesPerSecond);
        }
        if (messageBurst != null) {
            limits.messageBurst(messageBurst);
        }
        if (commandTimeout != null) {
            limits.commandTimeout(commandTimeout);
        }
        return limits.build();
    }

    private static ListenPort port(Integer given, int fallback) {
        return given == null ? ListenPort.preferred(fallback) : ListenPort.explicit(given);
    }

    @Override
    public Integer call() {
        RunningServer server = PlayConnectServer.start(toConfig());
        for (Listener l : server.listeners()) {
            context.out().println(l.line());
        }
        context.out().println("ready");
        context.out().flush();
        return context.awaiter().applyAsInt(server);
    }
}
