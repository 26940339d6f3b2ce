package io.playconnect.broker.nats;

import io.nats.client.api.StorageType;
import io.playconnect.core.spi.RoomLogConfig;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Settings of a {@link JetStreamBroker}. Immutable; build one with {@link #newBuilder()}, change
 * one with {@link #toBuilder()}. Every setter checks its argument and names it on failure.
 */
public final class JetStreamBrokerOptions {
    public static final String DEFAULT_URL = "nats://127.0.0.1:4222";
    public static final String DEFAULT_STREAM_NAME = "PC_ROOMS";
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_DUPLICATE_WINDOW = Duration.ofMinutes(2);
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9-]{1,32}");
    private static final Pattern STREAM = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final String url;
    private final String tenant;
    private final String streamName;
    private final RoomLogConfig roomLogConfig;
    private final StorageType storageType;
    private final int replicas;
    private final Duration requestTimeout;
    private final Duration duplicateWindow;
    private final String connectionName;
    private final int dispatchers;

    private JetStreamBrokerOptions(Builder b) {
        this.url = b.url;
        this.tenant = b.tenant;
        this.streamName = b.streamName;
        this.roomLogConfig = b.roomLogConfig;
        this.storageType = b.storageType;
        this.replicas = b.replicas;
        this.requestTimeout = b.requestTimeout;
        this.duplicateWindow = b.duplicateWindow;
        this.connectionName = b.connectionName;
        this.dispatchers = b.dispatchers;
    }

    /** A builder with the defaults; see the setters. */
    public static Builder newBuilder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().url(url).tenant(tenant).streamName(streamName).roomLogConfig(roomLogConfig)
                .storageType(storageType).replicas(replicas).requestTimeout(requestTimeout)
                .duplicateWindow(duplicateWindow).connectionName(connectionName).dispatchers(dispatchers);
    }

    public String url() {
        return url;
    }

    /** The tenant prefix, or null for none. */
    public String tenant() {
        return tenant;
    }

    public String streamName() {
        return streamName;
    }

    public RoomLogConfig roomLogConfig() {
        return roomLogConfig;
    }

    public StorageType storageType() {
        return storageType;
    }

    public int replicas() {
        return replicas;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    public Duration duplicateWindow() {
        return duplicateWindow;
    }

    public String connectionName() {
        return connectionName;
    }

    public int dispatchers() {
        return dispatchers;
    }

    @Override
    public String toString() {
        return "JetStreamBrokerOptions[url=" + url + ", tenant=" + tenant + ", streamName=" + streamName
                + ", maxRecordsPerRoom=" + roomLogConfig.maxRecordsPerRoom() + ", maxAge=" + roomLogConfig.maxAge()
                + ", storageType=" + storageType + ", replicas=" + replicas + ", requestTimeout=" + requestTimeout
                + ", duplicateWindow=" + duplicateWindow + ", dispatchers=" + dispatchers + "]";
    }

    /** Builder of {@link JetStreamBrokerOptions}. */
    public static final class Builder {
        private String url = DEFAULT_URL;
        private String tenant;
        private String streamName = DEFAULT_STREAM_NAME;
        private RoomLogConfig roomLogConfig = RoomLogConfig.defaults();
        private StorageType storageType = StorageType.File;
        private int replicas = 1;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private Duration duplicateWindow = DEFAULT_DUPLICATE_WINDOW;
        private String connectionName = "playconnect";
        private int dispatchers = 2;

        private Builder() {
        }

        /**
         * The server, {@code nats://host:port} (a comma-separated list for a cluster); default
         * {@value #DEFAULT_URL}.
         */
        public Builder url(String url) {
            Objects.requireNonNull(url, "url");
            if (url.isBlank()) {
                throw new IllegalArgumentException("url must not be blank");
            }
            this.url = url;
            return this;
        }

        /**
         * A prefix for every subject ({@code <tenant>.}), stream and bucket ({@code <tenant>_}), so that
         * several deployments share one server; null (the default) for none. Letters, digits and
         * {@code -}, at most 32.
         */
        public Builder tenant(String tenant) {
            if (tenant != null && !TENANT.matcher(tenant).matches()) {
                throw new IllegalArgumentException("tenant must match " + TENANT + ": " + SubjectRules.quote(tenant));
            }
            this.tenant = tenant;
            return this;
        }

        /** The JetStream stream that holds every room log; default {@value #DEFAULT_STREAM_NAME}. */
        public Builder streamName(String streamName) {
            if (streamName == null || !STREAM.matcher(streamName).matches()) {
                throw new IllegalArgumentException("streamName must match " + STREAM + ": "
                        + SubjectRules.quote(streamName));
            }
            this.streamName = streamName;
            return this;
        }

        /** Retention of room logs (records per room, age); default {@link RoomLogConfig#defaults()}. */
        public Builder roomLogConfig(RoomLogConfig roomLogConfig) {
            this.roomLogConfig = Objects.requireNonNull(roomLogConfig, "roomLogConfig");
            return this;
        }

        /** Where the stream and buckets keep messages; default {@link StorageType#File}. */
        public Builder storageType(StorageType storageType) {
            this.storageType = Objects.requireNonNull(storageType, "storageType");
            return this;
        }

        /**
         * Copies of the stream and buckets in a cluster, 1 to 5; default 1. More than one needs
         * nats-server 2.9.21 or newer, whose expected-sequence checks hold on replicated streams.
         */
        public Builder replicas(int replicas) {
            if (replicas < 1 || replicas > 5) {
                throw new IllegalArgumentException("replicas must be in 1..5: " + replicas);
            }
            this.replicas = replicas;
            return this;
        }

        /** How long a JetStream call (append, read, key-value) may take; default 5 seconds. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = positive("requestTimeout", requestTimeout);
            return this;
        }

        /**
         * How long the stream remembers a record's message id, so that a record re-sent after a lost
         * acknowledgement is stored once; default 2 minutes, and never more than the log's max age.
         */
        public Builder duplicateWindow(Duration duplicateWindow) {
            this.duplicateWindow = positive("duplicateWindow", duplicateWindow);
            return this;
        }

        /** The connection's name as the server shows it; default {@code playconnect}. */
        public Builder connectionName(String connectionName) {
            Objects.requireNonNull(connectionName, "connectionName");
            if (connectionName.isBlank()) {
                throw new IllegalArgumentException("connectionName must not be blank");
            }
            this.connectionName = connectionName;
            return this;
        }

        /** Threads that run handlers and listeners, 1 to 64; default 2. Each subscription uses one. */
        public Builder dispatchers(int dispatchers) {
            if (dispatchers < 1 || dispatchers > 64) {
                throw new IllegalArgumentException("dispatchers must be in 1..64: " + dispatchers);
            }
            this.dispatchers = dispatchers;
            return this;
        }

        public JetStreamBrokerOptions build() {
            return new JetStreamBrokerOptions(this);
        }

        private static Duration positive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + value);
            }
            return value;
        }
    }
}
