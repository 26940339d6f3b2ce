package io.playconnect.gateway.mqtt;

import io.playconnect.edge.spi.GatewaySettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Settings of the MQTT gateway. Immutable; build with {@link #newBuilder()} or derive from the
 * gateway settings with {@link #fromSettings}. Each value is checked when set, with its name in
 * the message.
 */
public final class MqttConfig {
    /** Room for the topic, properties and fixed header around a payload of the edge's maximum size. */
    public static final int PACKET_SLACK_BYTES = 4096;
    /** The WebSocket subprotocol of MQTT over WebSocket. */
    public static final String WEBSOCKET_SUBPROTOCOL = "mqtt";

    private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
    private static final Pattern SUBJECT_PREFIX = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

    private final boolean allowAnonymous;
    private final String anonymousToken;
    private final Set<String> roomKinds;
    private final String plainSubjectPrefix;
    private final String websocketPath;
    private final int maxPacketBytes;
    private final int receiveMaximum;
    private final int maxQueuedPublishes;
    private final int maxKeepAliveSeconds;
    private final int topicAliasMaximum;
    private final Duration closeTimeout;
    private final Duration sessionExpiryDefault;
    private final Duration sessionExpiryMax;
    private final int sessionMaxInflight;
    private final int writeBufferLowWaterMark;
    private final int writeBufferHighWaterMark;
    private final int ioThreads;
    private final Path tlsCertificate;
    private final Path tlsPrivateKey;

    private MqttConfig(Builder b) {
        this.allowAnonymous = b.allowAnonymous;
        this.anonymousToken = b.anonymousToken;
        this.roomKinds = Set.copyOf(b.roomKinds);
        this.plainSubjectPrefix = b.plainSubjectPrefix;
        this.websocketPath = b.websocketPath;
        this.maxPacketBytes = b.maxPacketBytes;
        this.receiveMaximum = b.receiveMaximum;
        this.maxQueuedPublishes = b.maxQueuedPublishes;
        this.maxKeepAliveSeconds = b.maxKeepAliveSeconds;
        this.topicAliasMaximum = b.topicAliasMaximum;
        this.closeTimeout = b.closeTimeout;
        this.sessionExpiryDefault = b.sessionExpiryDefault;
        this.sessionExpiryMax = b.sessionExpiryMax;
        this.sessionMaxInflight = b.sessionMaxInflight;
        this.writeBufferLowWaterMark = b.writeBufferLowWaterMark;
        this.writeBufferHighWaterMark = b.writeBufferHighWaterMark;
        this.ioThreads = b.ioThreads;
        this.tlsCertificate = b.tlsCertificate;
        this.tlsPrivateKey = b.tlsPrivateKey;
    }

    public static Builder newBuilder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.allowAnonymous = allowAnonymous;
        b.anonymousToken = anonymousToken;
        b.roomKinds = new LinkedHashSet<>(roomKinds);
        b.plainSubjectPrefix = plainSubjectPrefix;
        b.websocketPath = websocketPath;
        b.maxPacketBytes = maxPacketBytes;
        b.receiveMaximum = receiveMaximum;
        b.maxQueuedPublishes = maxQueuedPublishes;
        b.maxKeepAliveSeconds = maxKeepAliveSeconds;
        b.topicAliasMaximum = topicAliasMaximum;
        b.closeTimeout = closeTimeout;
        b.sessionExpiryDefault = sessionExpiryDefault;
        b.sessionExpiryMax = sessionExpiryMax;
        b.sessionMaxInflight = sessionMaxInflight;
        b.writeBufferLowWaterMark = writeBufferLowWaterMark;
        b.writeBufferHighWaterMark = writeBufferHighWaterMark;
        b.ioThreads = ioThreads;
        b.tlsCertificate = tlsCertificate;
        b.tlsPrivateKey = tlsPrivateKey;
        return b;
    }

    /**
     * The configuration for these gateway settings: a packet limit of {@code maxPayloadBytes} plus
     * {@link #PACKET_SLACK_BYTES}, and the options (all optional) {@code mqtt-allow-anonymous},
     * {@code mqtt-anonymous-token}, {@code mqtt-room-kinds} (comma-separated), {@code mqtt-plain-prefix},
     * {@code mqtt-websocket-path} ({@code off} to disable), {@code mqtt-receive-maximum},
     * {@code mqtt-max-queued}, {@code mqtt-max-keepalive} (seconds), {@code mqtt-topic-alias-maximum},
     * {@code mqtt-close-timeout}
     * (a duration such as {@code 2s} or {@code 500ms}), {@code mqtt-write-buffer-low},
     * {@code mqtt-write-buffer-high}, {@code mqtt-io-threads}, {@code mqtt-tls-cert} and
     * {@code mqtt-tls-key} (PEM files; both or neither); persistent sessions:
     * {@code mqtt-session-expiry-default} and {@code mqtt-session-expiry-max} (durations) and
     * {@code mqtt-session-max-inflight}.
     */
    public static MqttConfig fromSettings(GatewaySettings settings, int maxPayloadBytes) {
        Objects.requireNonNull(settings, "settings");
        Builder b = newBuilder().maxPacketBytes(maxPayloadBytes + PACKET_SLACK_BYTES);
        b.allowAnonymous(settings.booleanOption("mqtt-allow-anonymous", false));
        String token = settings.option("mqtt-anonymous-token", null);
        if (token != null) {
            b.anonymousToken(token);
        }
        String kinds = settings.option("mqtt-room-kinds", null);
        if (kinds != null) {
            b.roomKinds(new LinkedHashSet<>(Arrays.asList(kinds.trim().split("\\s*,\\s*"))));
        }
        b.plainSubjectPrefix(settings.option("mqtt-plain-prefix", b.plainSubjectPrefix));
        String path = settings.option("mqtt-websocket-path", null);
        if (path != null) {
            b.websocketPath("off".equalsIgnoreCase(path.trim()) ? null : path.trim());
        }
        b.receiveMaximum(settings.intOption("mqtt-receive-maximum", b.receiveMaximum))
                .maxQueuedPublishes(settings.intOption("mqtt-max-queued", b.maxQueuedPublishes))
                .maxKeepAliveSeconds(settings.intOption("mqtt-max-keepalive", b.maxKeepAliveSeconds))
                .topicAliasMaximum(settings.intOption("mqtt-topic-alias-maximum", b.topicAliasMaximum))
                .ioThreads(settings.intOption("mqtt-io-threads", b.ioThreads))
                .closeTimeout(settings.durationOption("mqtt-close-timeout", b.closeTimeout))
                .sessionExpiryDefault(settings.durationOption("mqtt-session-expiry-default", b.sessionExpiryDefault))
                .sessionExpiryMax(settings.durationOption("mqtt-session-expiry-max", b.sessionExpiryMax))
                .sessionMaxInflight(settings.intOption("mqtt-session-max-inflight", b.sessionMaxInflight))
                .writeBufferWaterMarks(settings.intOption("mqtt-write-buffer-low", b.writeBufferLowWaterMark),
                        settings.intOption("mqtt-write-buffer-high", b.writeBufferHighWaterMark));
        String cert = settings.option("mqtt-tls-cert", null);
        String key = settings.option("mqtt-tls-key", null);
        if (cert != null || key != null) {
            if (cert == null || key == null) {
                throw new IllegalArgumentException("mqtt-tls-cert and mqtt-tls-key must be given together");
            }
            b.tls(Path.of(cert), Path.of(key));
        }
        return b.build();
    }

    /** Whether clients without a password are let in (development only). */
    public boolean allowAnonymous() {
        return allowAnonymous;
    }

    /** The token presented to the edge for a client without a password, or null. */
    public String anonymousToken() {
        return anonymousToken;
    }

    /** Room kinds whose topics {@code <kind>/<id>/<name>} are rooms; other topics are plain pub/sub. */
    public Set<String> roomKinds() {
        return roomKinds;
    }

    /** The broker subject prefix of plain topics: {@code a/b} travels as {@code <prefix>.a.b}. */
    public String plainSubjectPrefix() {
        return plainSubjectPrefix;
    }

    /** The path of MQTT over WebSocket on the shared HTTP port, or null when disabled. */
    public String websocketPath() {
        return websocketPath;
    }

    /** The largest packet accepted (and advertised to MQTT 5 clients), in bytes. */
    public int maxPacketBytes() {
        return maxPacketBytes;
    }

    /** QoS 1 publishes in flight to one client at most (lowered by an MQTT 5 client's receive maximum). */
    public int receiveMaximum() {
        return receiveMaximum;
    }

    /** Publishes waiting for the in-flight window before the connection reports itself unwritable to the edge. */
    public int maxQueuedPublishes() {
        return maxQueuedPublishes;
    }

    /** The largest keep-alive accepted in seconds (a larger or zero one is lowered, MQTT 5 only); 0 = no cap. */
    public int maxKeepAliveSeconds() {
        return maxKeepAliveSeconds;
    }

    /** MQTT 5 topic aliases per connection each way (0: none). */
    public int topicAliasMaximum() {
        return topicAliasMaximum;
    }

    /** How long a closing packet may take to leave before the connection is cut anyway. */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /**
     * How long an MQTT 3.1.1 clean-session-0 session outlives its connection (3.1.1 has no expiry of
     * its own); {@link #sessionExpiryMax()} caps it too.
     */
    public Duration sessionExpiryDefault() {
        return sessionExpiryDefault;
    }

    /** The longest session expiry granted; an MQTT 5 client asking for more (or for never) gets this. */
    public Duration sessionExpiryMax() {
        return sessionExpiryMax;
    }

    /** Outbound QoS 1/2 publishes a persistent session keeps in flight (and stores) at most. */
    public int sessionMaxInflight() {
        return sessionMaxInflight;
    }

    public int writeBufferLowWaterMark() {
        return writeBufferLowWaterMark;
    }

    /** Unflushed bytes above which a connection reports itself unwritable to the edge. */
    public int writeBufferHighWaterMark() {
        return writeBufferHighWaterMark;
    }

    /** Event loop threads of the gateway's own port. */
    public int ioThreads() {
        return ioThreads;
    }

    /** The PEM certificate chain for TLS on the gateway's port, or null for plain TCP. */
    public Path tlsCertificate() {
        return tlsCertificate;
    }

    /** The PEM (PKCS#8) private key of {@link #tlsCertificate()}, or null. */
    public Path tlsPrivateKey() {
        return tlsPrivateKey;
    }

    public boolean tls() {
        return tlsCertificate != null;
    }

    @Override
    public String toString() {
        return "MqttConfig{allowAnonymous=" + allowAnonymous + ", roomKinds=" + roomKinds
                + ", plainSubjectPrefix=" + plainSubjectPrefix + ", websocketPath=" + websocketPath
                + ", maxPacketBytes=" + maxPacketBytes + ", receiveMaximum=" + receiveMaximum
                + ", maxQueuedPublishes=" + maxQueuedPublishes + ", maxKeepAliveSeconds=" + maxKeepAliveSeconds
                + ", topicAliasMaximum=" + topicAliasMaximum
                + ", tls=" + tls() + '}';
    }

    /** Builder; the defaults suit a development server. */
    public static final class Builder {
        private boolean allowAnonymous;
        private String anonymousToken;
        private Set<String> roomKinds = new LinkedHashSet<>(Set.of("game", "doc", "chat"));
        private String plainSubjectPrefix = "pc.mqtt";
        private String websocketPath = "/mqtt";
        private int maxPacketBytes = 64 * 1024 + PACKET_SLACK_BYTES;
        private int receiveMaximum = 64;
        private int maxQueuedPublishes = 256;
        private int maxKeepAliveSeconds;
        private int topicAliasMaximum = 32;
        private Duration closeTimeout = Duration.ofSeconds(2);
        private Duration sessionExpiryDefault = Duration.ofHours(2);
        private Duration sessionExpiryMax = Duration.ofDays(1);
        private int sessionMaxInflight = 32;
        private int writeBufferLowWaterMark = 32 * 1024;
        private int writeBufferHighWaterMark = 256 * 1024;
        private int ioThreads = 1;
        private Path tlsCertificate;
        private Path tlsPrivateKey;

        private Builder() {
        }

        public Builder allowAnonymous(boolean allowAnonymous) {
            this.allowAnonymous = allowAnonymous;
            return this;
        }

        public Builder anonymousToken(String token) {
            Objects.requireNonNull(token, "anonymousToken");
            if (token.isBlank()) {
                throw new IllegalArgumentException("anonymousToken must not be blank");
            }
            this.anonymousToken = token;
            return this;
        }

        public Builder roomKinds(Set<String> kinds) {
            Objects.requireNonNull(kinds, "roomKinds");
            for (String k : kinds) {
                if (k == null || !KIND.matcher(k).matches()) {
                    throw new IllegalArgumentException("roomKinds must be room kinds matching " + KIND + ": " + k);
                }
            }
            this.roomKinds = new LinkedHashSet<>(kinds);
            return this;
        }

        public Builder plainSubjectPrefix(String prefix) {
            Objects.requireNonNull(prefix, "plainSubjectPrefix");
            if (!SUBJECT_PREFIX.matcher(prefix).matches() || prefix.startsWith("pc.cmd") || prefix.startsWith("pc.state")) {
                throw new IllegalArgumentException("plainSubjectPrefix must be dot-separated tokens of [A-Za-z0-9_-]"
                        + " and not a PlayConnect subject: " + prefix);
            }
            this.plainSubjectPrefix = prefix;
            return this;
        }

        /** The path of MQTT over WebSocket on the shared HTTP port; null disables it. */
        public Builder websocketPath(String path) {
            if (path != null && (!path.startsWith("/") || path.length() < 2 || path.contains("?"))) {
                throw new IllegalArgumentException("websocketPath must be a path such as /mqtt: " + path);
            }
            this.websocketPath = path;
            return this;
        }

        public Builder maxPacketBytes(int value) {
            this.maxPacketBytes = positive("maxPacketBytes", value);
            return this;
        }

        public Builder receiveMaximum(int value) {
            if (value < 1 || value > 65535) {
                throw new IllegalArgumentException("receiveMaximum must be in 1..65535: " + value);
            }
            this.receiveMaximum = value;
            return this;
        }

        public Builder maxQueuedPublishes(int value) {
            this.maxQueuedPublishes = positive("maxQueuedPublishes", value);
            return this;
        }

        public Builder maxKeepAliveSeconds(int value) {
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException("maxKeepAliveSeconds must be in 0..65535: " + value);
            }
            this.maxKeepAliveSeconds = value;
            return this;
        }

        /**
         * MQTT 5 topic aliases per connection, each way: the Topic Alias Maximum advertised to clients,
         * and the most the server uses towards a client (also capped by the client's own maximum).
         * 0 turns aliases off.
         */
        public Builder topicAliasMaximum(int value) {
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException("topicAliasMaximum must be in 0..65535: " + value);
            }
            this.topicAliasMaximum = value;
            return this;
        }

        public Builder sessionExpiryDefault(Duration value) {
            this.sessionExpiryDefault = wholeSeconds("sessionExpiryDefault", value);
            return this;
        }

        public Builder sessionExpiryMax(Duration value) {
            this.sessionExpiryMax = wholeSeconds("sessionExpiryMax", value);
            return this;
        }

        public Builder sessionMaxInflight(int value) {
            if (value < 1 || value > 65535) {
                throw new IllegalArgumentException("sessionMaxInflight must be in 1..65535: " + value);
            }
            this.sessionMaxInflight = value;
            return this;
        }

        private static Duration wholeSeconds(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.getSeconds() < 1 || value.getSeconds() > 0xFFFFFFFEL) {
                throw new IllegalArgumentException(name + " must be 1s to 4294967294s: " + value);
            }
            return Duration.ofSeconds(value.getSeconds());
        }

        public Builder closeTimeout(Duration value) {
            Objects.requireNonNull(value, "closeTimeout");
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("closeTimeout must be positive: " + value);
            }
            this.closeTimeout = value;
            return this;
        }

        public Builder writeBufferWaterMarks(int low, int high) {
            positive("writeBufferLowWaterMark", low);
            if (high < low) {
                throw new IllegalArgumentException("writeBufferHighWaterMark must be >= writeBufferLowWaterMark ("
                        + low + "): " + high);
            }
            this.writeBufferLowWaterMark = low;
            this.writeBufferHighWaterMark = high;
            return this;
        }

        public Builder ioThreads(int value) {
            this.ioThreads = positive("ioThreads", value);
            return this;
        }

        /** TLS on the gateway's own port with this PEM certificate chain and PKCS#8 PEM key. */
        public Builder tls(Path certificate, Path privateKey) {
            this.tlsCertificate = Objects.requireNonNull(certificate, "tlsCertificate");
            this.tlsPrivateKey = Objects.requireNonNull(privateKey, "tlsPrivateKey");
            return this;
        }

        private static int positive(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be >= 1: " + value);
            }
            return value;
        }

        public MqttConfig build() {
            if (allowAnonymous && anonymousToken == null) {
                throw new IllegalArgumentException("allowAnonymous needs anonymousToken (option mqtt-anonymous-token):"
                        + " the edge authenticates every session with a token");
            }
            return new MqttConfig(this);
        }
    }
}
