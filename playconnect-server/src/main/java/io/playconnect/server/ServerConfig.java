package io.playconnect.server;

import io.opentelemetry.api.OpenTelemetry;
import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.RoomLogConfig;
import io.playconnect.edge.limits.EdgeLimits;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a {@link PlayConnectServer} needs, immutable and validated when set (messages name
 * the setting). Independent of the command line, so tests build one directly:
 *
 * <pre>{@code
 * ServerConfig config = ServerConfig.newBuilder().httpPort(0).build();
 * try (RunningServer server = PlayConnectServer.start(config)) { ... }
 * }</pre>
 */
public final class ServerConfig {
    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final int DEFAULT_MQTT_PORT = 1883;
    public static final int DEFAULT_GRPC_PORT = 9090;
    public static final int DEFAULT_PARTITIONS = 16;
    /** HS256 needs a key of at least 256 bits. */
    public static final int MIN_SECRET_BYTES = 32;
    /** The engine's lease TTL unless {@code --lease-ttl} says otherwise. */
    /** What a protocol name in {@link #gateways()} looks like. */
    static final String GATEWAY_NAME = "[a-z][a-z0-9-]{0,31}";
    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(10);
    static final Duration MIN_LEASE_TTL = Duration.ofSeconds(1);
    static final Duration MAX_LEASE_TTL = Duration.ofMinutes(10);

    private final String host;
    private final ListenPort httpPort;
    private final ListenPort wsPort;
    private final ListenPort mqttPort;
    private final ListenPort grpcPort;
    private final Set<Role> roles;
    private final Set<String> gateways;
    private final String broker;
    private final String store;
    private final String tokenSecret;
    private final int partitions;
    private final Path dataDir;
    private final Duration drainTimeout;
    private final Broker sharedBroker;
    private final OpenTelemetry openTelemetry;
    private final RoomLogConfig roomLogConfig;
    private final Map<String, String> gatewayOptions;
    private final String tenant;
    private final EdgeLimits edgeLimits;
    private final boolean dev;
    private final List<String> allowedOrigins;
    private final Duration leaseTtl;
    private final int replicas;

    private ServerConfig(Builder b) {
        this.host = b.host;
        this.httpPort = b.httpPort;
        this.wsPort = b.wsPort;
        this.mqttPort = b.mqttPort;
        this.grpcPort = b.grpcPort;
        this.roles = Collections.unmodifiableSet(EnumSet.copyOf(b.roles));
        this.gateways = Set.copyOf(b.gateways);
        this.broker = b.broker;
        this.store = b.store;
        this.tokenSecret = b.tokenSecret;
        this.partitions = b.partitions;
        this.dataDir = b.dataDir;
        this.drainTimeout = b.drainTimeout;
        this.sharedBroker = b.sharedBroker;
        this.openTelemetry = b.openTelemetry;
        this.roomLogConfig = b.roomLogConfig;
        this.gatewayOptions = Map.copyOf(b.gatewayOptions);
        this.tenant = b.tenant;
        this.edgeLimits = b.edgeLimits;
        this.dev = b.dev;
        this.allowedOrigins = b.allowedOrigins;
        this.leaseTtl = b.leaseTtl;
        this.replicas = b.replicas;
    }

    public static Builder newBuilder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.httpPort = httpPort;
        b.wsPort = wsPort;
        b.mqttPort = mqttPort;
        b.grpcPort = grpcPort;
        b.roles = EnumSet.copyOf(roles);
        b.gateways = new java.util.TreeSet<>(gateways);
        b.broker = broker;
        b.store = store;
        b.tokenSecret = tokenSecret;
        b.gatewayOptions = new java.util.HashMap<>(gatewayOptions);
        b.tenant = tenant;
        b.edgeLimits = edgeLimits;
        b.dev = dev;
        b.allowedOrigins = allowedOrigins;
        b.partitions = partitions;
        b.dataDir = dataDir;
        b.drainTimeout = drainTimeout;
        b.sharedBroker = sharedBroker;
        b.openTelemetry = openTelemetry;
        b.roomLogConfig = roomLogConfig;
        b.leaseTtl = leaseTtl;
        b.replicas = replicas;
        return b;
    }

    public String host() {
        return host;
    }

    public ListenPort httpPort() {
        return httpPort;
    }

    /** The WebSocket port; empty means it shares the HTTP port. */
    public Optional<ListenPort> wsPort() {
        return Optional.ofNullable(wsPort);
    }

    public ListenPort mqttPort() {
        return mqttPort;
    }

    public ListenPort grpcPort() {
        return grpcPort;
    }

    public Set<Role> roles() {
        return roles;
    }

    public boolean hasRole(Role role) {
        return roles.contains(role);
    }

    /**
     * The protocol gateways the gateway role starts ({@code websocket}, {@code mqtt}, {@code grpc});
     * empty means every gateway on the class path. One protocol per process lets each scale on its own.
     */
    public Set<String> gateways() {
        return gateways;
    }

    /** {@code memory} or a {@code nats://} URL. */
    public String broker() {
        return broker;
    }

    /** {@code memory} or a {@code redis://} URL. */
    public String store() {
        return store;
    }

    /** The HS256 secret tokens are signed with; empty means a development secret made at start. */
    /** The prefix of every broker subject, stream, bucket and store key, or empty. */
    public Optional<String> tenant() {
        return Optional.ofNullable(tenant);
    }

    /** Browser origins allowed to open WebSocket connections; empty means any. */
    public List<String> allowedOrigins() {
        return allowedOrigins;
    }

    /** Development mode: {@code /demo/token} hands out tokens to anyone who asks. */
    public boolean dev() {
        return dev;
    }

    /** Connection, rate and size limits every gateway's edge applies. */
    public EdgeLimits edgeLimits() {
        return edgeLimits;
    }

    /** Protocol options handed to every gateway (e.g. {@code ping-interval}, {@code mqtt-allow-anonymous}). */
    public Map<String, String> gatewayOptions() {
        return gatewayOptions;
    }

    public Optional<String> tokenSecret() {
        return Optional.ofNullable(tokenSecret);
    }

    public int partitions() {
        return partitions;
    }

    /** Where the in-process broker keeps room logs and snapshots on disk; empty keeps them in memory. */
    public Optional<Path> dataDir() {
        return Optional.ofNullable(dataDir);
    }

    /**
     * How long an engine's partition lease lasts without renewal (renewed every third of it): the
     * longest a dead or paused engine's rooms wait for another engine.
     */
    public Duration leaseTtl() {
        return leaseTtl;
    }

    /** Copies of each JetStream stream and bucket the broker creates (with a {@code nats://} broker). */
    public int replicas() {
        return replicas;
    }

    /** How long SIGTERM may take, all steps together. */
    public Duration drainTimeout() {
        return drainTimeout;
    }

    /** A broker made by the caller (tests, embedding), used instead of {@link #broker()}; never closed by the server. */
    public Optional<Broker> sharedBroker() {
        return Optional.ofNullable(sharedBroker);
    }

    /**
     * Tracing through an OpenTelemetry made by the caller (tests, embedding), never closed by the
     * server; when absent the standard {@code OTEL_*} settings decide (off unless
     * {@code OTEL_TRACES_EXPORTER} names an exporter).
     */
    public Optional<OpenTelemetry> openTelemetry() {
        return Optional.ofNullable(openTelemetry);
    }

    /** Retention of the in-process broker's room logs. */
    public RoomLogConfig roomLogConfig() {
        return roomLogConfig;
    }

    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", httpPort=" + httpPort + ", wsPort=" + (wsPort == null ? "shared" : wsPort)
                + ", roles=" + roles + ", broker=" + broker + ", store=" + store + ", partitions=" + partitions
                + ", tokenSecret=" + (tokenSecret == null ? "generated" : "***") + "]";
    }

    /** Builder; each setter checks its argument and names it on failure. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private ListenPort httpPort = ListenPort.preferred(DEFAULT_HTTP_PORT);
        private ListenPort wsPort;
        private ListenPort mqttPort = ListenPort.preferred(DEFAULT_MQTT_PORT);
        private ListenPort grpcPort = ListenPort.preferred(DEFAULT_GRPC_PORT);
        private Set<Role> roles = EnumSet.allOf(Role.class);
        private Set<String> gateways = new java.util.TreeSet<>();
        private String broker = "memory";
        private String store = "memory";
        private String tokenSecret;
        private int partitions = DEFAULT_PARTITIONS;
        private Path dataDir;
        private Duration drainTimeout = Duration.ofSeconds(10);
        private Broker sharedBroker;
        private OpenTelemetry openTelemetry;
        private RoomLogConfig roomLogConfig = RoomLogConfig.defaults();
        private Map<String, String> gatewayOptions = new java.util.HashMap<>(GatewayWiring.defaultGatewayOptions());
        private String tenant;
        private EdgeLimits edgeLimits = EdgeLimits.defaults();
        private boolean dev;
        private List<String> allowedOrigins = List.of();
        private Duration leaseTtl = DEFAULT_LEASE_TTL;
        private int replicas = 1;

        /** Development mode: serves {@code /demo/token}; never in production. */
        /** Browser origins allowed to open WebSocket connections (scheme://host[:port]); empty means any. */
        public Builder allowedOrigins(List<String> origins) {
            Objects.requireNonNull(origins, "allowedOrigins");
            for (String o : origins) {
                if (o == null || !o.matches("https?://[^/\\s]+")) {
                    throw new IllegalArgumentException("allowedOrigins must be scheme://host[:port]: " + o);
                }
            }
            this.allowedOrigins = List.copyOf(origins);
            return this;
        }

        public Builder dev(boolean dev) {
            this.dev = dev;
            return this;
        }

        /** A tenant prefix (lower-case letters and digits), or null for none. */
        public Builder tenant(String tenant) {
            if (tenant != null && !tenant.matches("[a-z][a-z0-9]{0,31}")) {
                throw new IllegalArgumentException("tenant must be 1-32 lower-case letters and digits: " + tenant);
            }
            this.tenant = tenant;
            return this;
        }

        public Builder edgeLimits(EdgeLimits edgeLimits) {
            this.edgeLimits = Objects.requireNonNull(edgeLimits, "edgeLimits");
            return this;
        }

        private Builder() {
        }

        /** Sets one gateway option, e.g. {@code gatewayOption("ping-interval", "20s")}. */
        public Builder gatewayOption(String key, String value) {
            java.util.Objects.requireNonNull(key, "key");
            if (value == null) {
                gatewayOptions.remove(key);
            } else {
                gatewayOptions.put(key, value);
            }
            return this;
        }

        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("host must be a host name or IP address: '" + host + "'");
            }
            this.host = host;
            return this;
        }

        /** An explicit HTTP port (0 for any free one). */
        public Builder httpPort(int port) {
            return httpPort(ListenPort.explicit(port));
        }

        public Builder httpPort(ListenPort port) {
            this.httpPort = Objects.requireNonNull(port, "httpPort");
            return this;
        }

        /** An explicit WebSocket port; without one, WebSocket shares the HTTP port. */
        public Builder wsPort(int port) {
            return wsPort(ListenPort.explicit(port));
        }

        /** A WebSocket port, or null to share the HTTP port. */
        public Builder wsPort(ListenPort port) {
            this.wsPort = port;
            return this;
        }

        public Builder mqttPort(ListenPort port) {
            this.mqttPort = Objects.requireNonNull(port, "mqttPort");
            return this;
        }

        public Builder grpcPort(ListenPort port) {
            this.grpcPort = Objects.requireNonNull(port, "grpcPort");
            return this;
        }

        public Builder roles(Set<Role> roles) {
            Objects.requireNonNull(roles, "roles");
            if (roles.isEmpty()) {
                throw new IllegalArgumentException("roles must name at least one role");
            }
            this.roles = EnumSet.copyOf(roles);
            return this;
        }

        public Builder broker(String broker) {
            this.broker = checkUrl("broker", broker, "nats://");
            return this;
        }

        public Builder store(String store) {
            this.store = checkUrl("store", store, "redis://");
            return this;
        }

        /** The HS256 secret, at least 32 bytes of UTF-8; null for a development secret made at start. */
        public Builder tokenSecret(String tokenSecret) {
            if (tokenSecret != null) {
                int bytes = tokenSecret.getBytes(StandardCharsets.UTF_8).length;
                if (bytes < MIN_SECRET_BYTES) {
                    throw new IllegalArgumentException("tokenSecret must be at least " + MIN_SECRET_BYTES
                            + " bytes for HS256 (got " + bytes + ")");
                }
            }
            this.tokenSecret = tokenSecret;
            return this;
        }

        public Builder partitions(int partitions) {
            if (partitions < 1 || partitions > 4096) {
                throw new IllegalArgumentException("partitions must be in 1..4096: " + partitions);
            }
            this.partitions = partitions;
            return this;
        }

        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** The partition lease TTL, from 1 s to 10 min; default {@link #DEFAULT_LEASE_TTL}. */
        public Builder leaseTtl(Duration leaseTtl) {
            Objects.requireNonNull(leaseTtl, "leaseTtl");
            if (leaseTtl.compareTo(MIN_LEASE_TTL) < 0 || leaseTtl.compareTo(MAX_LEASE_TTL) > 0) {
                throw new IllegalArgumentException("leaseTtl must be from " + MIN_LEASE_TTL.toSeconds() + " s to "
                        + MAX_LEASE_TTL.toMinutes() + " min: " + leaseTtl);
            }
            this.leaseTtl = leaseTtl;
            return this;
        }

        /** JetStream replicas, 1 to 5; default 1. */
        public Builder replicas(int replicas) {
            if (replicas < 1 || replicas > 5) {
                throw new IllegalArgumentException("replicas must be in 1..5: " + replicas);
            }
            this.replicas = replicas;
            return this;
        }

        public Builder drainTimeout(Duration drainTimeout) {
            Objects.requireNonNull(drainTimeout, "drainTimeout");
            if (drainTimeout.isNegative() || drainTimeout.isZero()) {
                throw new IllegalArgumentException("drainTimeout must be positive: " + drainTimeout);
            }
            this.drainTimeout = drainTimeout;
            return this;
        }

        /** See {@link ServerConfig#gateways()}; each name is a protocol in lower case. */
        public Builder gateways(java.util.Collection<String> gateways) {
            Objects.requireNonNull(gateways, "gateways");
            java.util.TreeSet<String> names = new java.util.TreeSet<>();
            for (String name : gateways) {
                if (name == null || !name.matches(GATEWAY_NAME)) {
                    throw new IllegalArgumentException("gateways: not a protocol name: '" + name + "'");
                }
                names.add(name);
            }
            this.gateways = names;
            return this;
        }

        public Builder sharedBroker(Broker sharedBroker) {
            this.sharedBroker = sharedBroker;
            return this;
        }

        /** See {@link ServerConfig#openTelemetry()}; null goes back to the {@code OTEL_*} settings. */
        public Builder openTelemetry(OpenTelemetry openTelemetry) {
            this.openTelemetry = openTelemetry;
            return this;
        }

        public Builder roomLogConfig(RoomLogConfig roomLogConfig) {
            this.roomLogConfig = Objects.requireNonNull(roomLogConfig, "roomLogConfig");
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(this);
        }

        private static String checkUrl(String name, String value, String scheme) {
            Objects.requireNonNull(value, name);
            if (value.equals("memory")) {
                return value;
            }
            if (!value.startsWith(scheme) || value.length() == scheme.length()
                    || value.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException(name + " must be 'memory' or " + scheme + "HOST:PORT: '" + value + "'");
            }
            return value;
        }
    }
}
