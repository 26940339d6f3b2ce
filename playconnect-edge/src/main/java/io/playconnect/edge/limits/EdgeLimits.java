package io.playconnect.edge.limits;

import java.time.Duration;
import java.util.Objects;

/**
 * Every limit the edge enforces, the same for every protocol. Immutable; build with
 * {@link #newBuilder()} or start from {@link #defaults()}. Invalid values are refused with an
 * {@link IllegalArgumentException} that names the parameter.
 */
public final class EdgeLimits {
    private static final EdgeLimits DEFAULTS = newBuilder().build();

    private final int messagesPerSecond;
    private final int messageBurst;
    private final long bytesPerSecond;
    private final int connectionsPerSecondPerIp;
    private final int maxConnectionsPerIp;
    private final int maxConnections;
    private final int maxPayloadBytes;
    private final int outboundQueueMessages;
    private final long outboundQueueBytes;
    private final int maxRoomsPerSession;
    private final int maxQueuedCommandsPerRoom;
    private final int maxRequestCommandsInFlightPerRoom;
    private final Duration commandTimeout;
    private final Duration authDeadline;

    private EdgeLimits(Builder b) {
        this.messagesPerSecond = b.messagesPerSecond;
        this.messageBurst = b.messageBurst;
        this.bytesPerSecond = b.bytesPerSecond;
        this.connectionsPerSecondPerIp = b.connectionsPerSecondPerIp;
        this.maxConnectionsPerIp = b.maxConnectionsPerIp;
        this.maxConnections = b.maxConnections;
        this.maxPayloadBytes = b.maxPayloadBytes;
        this.outboundQueueMessages = b.outboundQueueMessages;
        this.outboundQueueBytes = b.outboundQueueBytes;
        this.maxRoomsPerSession = b.maxRoomsPerSession;
        this.maxQueuedCommandsPerRoom = b.maxQueuedCommandsPerRoom;
        this.maxRequestCommandsInFlightPerRoom = b.maxRequestCommandsInFlightPerRoom;
        this.commandTimeout = b.commandTimeout;
        this.authDeadline = b.authDeadline;
    }

    public static EdgeLimits defaults() {
        return DEFAULTS;
    }

    public static Builder newBuilder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.messagesPerSecond = messagesPerSecond;
        b.messageBurst = messageBurst;
        b.bytesPerSecond = bytesPerSecond;
        b.connectionsPerSecondPerIp = connectionsPerSecondPerIp;
        b.maxConnectionsPerIp = maxConnectionsPerIp;
        b.maxConnections = maxConnections;
        b.maxPayloadBytes = maxPayloadBytes;
        b.outboundQueueMessages = outboundQueueMessages;
        b.outboundQueueBytes = outboundQueueBytes;
        b.maxRoomsPerSession = maxRoomsPerSession;
        b.maxQueuedCommandsPerRoom = maxQueuedCommandsPerRoom;
        b.maxRequestCommandsInFlightPerRoom = maxRequestCommandsInFlightPerRoom;
        b.commandTimeout = commandTimeout;
        b.authDeadline = authDeadline;
        return b;
    }

    /** Sustained client messages per second per connection. */
    public int messagesPerSecond() {
        return messagesPerSecond;
    }

    /** Client messages a connection may send at once before the rate applies. */
    public int messageBurst() {
        return messageBurst;
    }

    /** Sustained client bytes per second per connection (also the burst). */
    public long bytesPerSecond() {
        return bytesPerSecond;
    }

    public int connectionsPerSecondPerIp() {
        return connectionsPerSecondPerIp;
    }

    public int maxConnectionsPerIp() {
        return maxConnectionsPerIp;
    }

    public int maxConnections() {
        return maxConnections;
    }

    /** The largest command payload, on every protocol. */
    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    public int outboundQueueMessages() {
        return outboundQueueMessages;
    }

    public long outboundQueueBytes() {
        return outboundQueueBytes;
    }

    public int maxRoomsPerSession() {
        return maxRoomsPerSession;
    }

    /** Commands that may wait behind the one in flight, per session and room. */
    public int maxQueuedCommandsPerRoom() {
        return maxQueuedCommandsPerRoom;
    }

    /**
     * Commands sent to the engine at once, per room, by a request session (gRPC unary calls, the
     * HTTP API: many independent callers behind one session, so nothing to keep in order); other
     * sessions send one at a time. More wait, {@link #maxQueuedCommandsPerRoom()} at most.
     */
    public int maxRequestCommandsInFlightPerRoom() {
        return maxRequestCommandsInFlightPerRoom;
    }

    /** How long a command may take from being sent until its answer, retries included. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** How long a new session may stay unauthenticated. */
    public Duration authDeadline() {
        return authDeadline;
    }

    @Override
    public String toString() {
        return "EdgeLimits{messagesPerSecond=" + messagesPerSecond + ", messageBurst=" + messageBurst
                + ", bytesPerSecond=" + bytesPerSecond + ", connectionsPerSecondPerIp=" + connectionsPerSecondPerIp
                + ", maxConnectionsPerIp=" + maxConnectionsPerIp + ", maxConnections=" + maxConnections
                + ", maxPayloadBytes=" + maxPayloadBytes + ", outboundQueueMessages=" + outboundQueueMessages
                + ", outboundQueueBytes=" + outboundQueueBytes + ", maxRoomsPerSession=" + maxRoomsPerSession
                + ", maxQueuedCommandsPerRoom=" + maxQueuedCommandsPerRoom
                + ", maxRequestCommandsInFlightPerRoom=" + maxRequestCommandsInFlightPerRoom + ", commandTimeout=" + commandTimeout
                + ", authDeadline=" + authDeadline + '}';
    }

    /** Builder with the documented defaults. */
    public static final class Builder {
        private int messagesPerSecond = 50;
        private int messageBurst = 100;
        private long bytesPerSecond = 1 << 20;
        private int connectionsPerSecondPerIp = 20;
        private int maxConnectionsPerIp = 100;
        private int maxConnections = 10_000;
        private int maxPayloadBytes = 64 * 1024;
        private int outboundQueueMessages = 1024;
        private long outboundQueueBytes = 4L << 20;
        private int maxRoomsPerSession = 64;
        private int maxQueuedCommandsPerRoom = 16;
        private int maxRequestCommandsInFlightPerRoom = 64;
        private Duration commandTimeout = Duration.ofSeconds(5);
        private Duration authDeadline = Duration.ofSeconds(5);

        private Builder() {
        }

        public Builder messagesPerSecond(int value) {
            this.messagesPerSecond = positive("messagesPerSecond", value);
            return this;
        }

        public Builder messageBurst(int value) {
            this.messageBurst = positive("messageBurst", value);
            return this;
        }

        public Builder bytesPerSecond(long value) {
            this.bytesPerSecond = positive("bytesPerSecond", value);
            return this;
        }

        public Builder connectionsPerSecondPerIp(int value) {
            this.connectionsPerSecondPerIp = positive("connectionsPerSecondPerIp", value);
            return this;
        }

        public Builder maxConnectionsPerIp(int value) {
            this.maxConnectionsPerIp = positive("maxConnectionsPerIp", value);
            return this;
        }

        public Builder maxConnections(int value) {
            this.maxConnections = positive("maxConnections", value);
            return this;
        }

        public Builder maxPayloadBytes(int value) {
            this.maxPayloadBytes = positive("maxPayloadBytes", value);
            return this;
        }

        public Builder outboundQueueMessages(int value) {
            this.outboundQueueMessages = positive("outboundQueueMessages", value);
            return this;
        }

        public Builder outboundQueueBytes(long value) {
            this.outboundQueueBytes = positive("outboundQueueBytes", value);
            return this;
        }

        public Builder maxRoomsPerSession(int value) {
            this.maxRoomsPerSession = positive("maxRoomsPerSession", value);
            return this;
        }

        public Builder maxQueuedCommandsPerRoom(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("maxQueuedCommandsPerRoom must be >= 0: " + value);
            }
            this.maxQueuedCommandsPerRoom = value;
            return this;
        }

        public Builder maxRequestCommandsInFlightPerRoom(int value) {
            this.maxRequestCommandsInFlightPerRoom = positive("maxRequestCommandsInFlightPerRoom", value);
            return this;
        }

        public Builder commandTimeout(Duration value) {
            this.commandTimeout = positive("commandTimeout", value);
            return this;
        }

        public Builder authDeadline(Duration value) {
            this.authDeadline = positive("authDeadline", value);
            return this;
        }

        public EdgeLimits build() {
            if (bytesPerSecond < maxPayloadBytes) {
                throw new IllegalArgumentException("bytesPerSecond (" + bytesPerSecond
                        + ") must be >= maxPayloadBytes (" + maxPayloadBytes + ") or a full payload never passes");
            }
            if (outboundQueueBytes < maxPayloadBytes) {
                throw new IllegalArgumentException("outboundQueueBytes (" + outboundQueueBytes
                        + ") must be >= maxPayloadBytes (" + maxPayloadBytes + ")");
            }
            return new EdgeLimits(this);
        }

        private static int positive(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be >= 1: " + value);
            }
            return value;
        }

        private static long positive(String name, long value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be >= 1: " + value);
            }
            return value;
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
