package io.playconnect.gateway.websocket;

import io.playconnect.edge.spi.GatewaySettings;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of the WebSocket gateway. Immutable; build with {@link #newBuilder()} or derive from the
 * gateway settings with {@link #fromSettings}. Each value is checked when set, with its name in the
 * message.
 */
public final class WebSocketConfig {
    /** The one subprotocol of the wire contract. */
    public static final String SUBPROTOCOL = "playconnect.v1";
    /** Room for the frame fields around a payload of the edge's maximum size. */
    public static final int ENVELOPE_SLACK_BYTES = 4096;

    private final String path;
    private final List<String> allowedOrigins;
    private final int maxMessageBytes;
    private final Duration pingInterval;
    private final Duration idleTimeout;
    private final Duration closeTimeout;
    private final Duration retryAfter;
    private final int writeBufferLowWaterMark;
    private final int writeBufferHighWaterMark;
    private final int ioThreads;
    private final int socketSendBuffer;

    private WebSocketConfig(Builder b) {
        this.path = b.path;
        this.allowedOrigins = b.allowedOrigins;
        this.maxMessageBytes = b.maxMessageBytes;
        this.pingInterval = b.pingInterval;
        this.idleTimeout = b.idleTimeout;
        this.closeTimeout = b.closeTimeout;
        this.retryAfter = b.retryAfter;
        this.writeBufferLowWaterMark = b.writeBufferLowWaterMark;
        this.writeBufferHighWaterMark = b.writeBufferHighWaterMark;
        this.ioThreads = b.ioThreads;
        this.socketSendBuffer = b.socketSendBuffer;
    }

    public static Builder newBuilder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.path = path;
        b.allowedOrigins = allowedOrigins;
        b.maxMessageBytes = maxMessageBytes;
        b.pingInterval = pingInterval;
        b.idleTimeout = idleTimeout;
        b.closeTimeout = closeTimeout;
        b.retryAfter = retryAfter;
        b.writeBufferLowWaterMark = writeBufferLowWaterMark;
        b.writeBufferHighWaterMark = writeBufferHighWaterMark;
        b.ioThreads = ioThreads;
        b.socketSendBuffer = socketSendBuffer;
        return b;
    }

    /**
     * The configuration for these gateway settings: the origins, a message limit of
     * {@code maxPayloadBytes} plus {@link #ENVELOPE_SLACK_BYTES}, and the options
     * {@code ping-interval}, {@code idle-timeout}, {@code close-timeout} (durations such as
     * {@code 20s}, {@code 500ms}, {@code 2m}, or plain seconds), {@code write-buffer-low},
     * {@code write-buffer-high}, {@code socket-send-buffer} (bytes) and {@code io-threads} (own port
     * only).
     */
    public static WebSocketConfig fromSettings(GatewaySettings settings, int maxPayloadBytes) {
        Objects.requireNonNull(settings, "settings");
        Builder b = newBuilder()
                .allowedOrigins(settings.allowedOrigins())
                .maxMessageBytes(maxPayloadBytes + ENVELOPE_SLACK_BYTES);
        Duration ping = settings.durationOption("ping-interval", b.pingInterval);
        // Unless set, the idle timeout follows a configured ping interval: room for one unanswered ping.
        Duration idle = settings.options().containsKey("ping-interval") ? ping.multipliedBy(2) : b.idleTimeout;
        return b.pingInterval(ping)
                .idleTimeout(settings.durationOption("idle-timeout", idle))
                .closeTimeout(settings.durationOption("close-timeout", b.closeTimeout))
                .writeBufferWaterMarks(settings.intOption("write-buffer-low", b.writeBufferLowWaterMark),
                        settings.intOption("write-buffer-high", b.writeBufferHighWaterMark))
                .socketSendBuffer(settings.intOption("socket-send-buffer", b.socketSendBuffer))
                .ioThreads(settings.intOption("io-threads", b.ioThreads))
                .build();
    }

    /** The handshake path; default {@code /ws}. */
    public String path() {
        return path;
    }

    /** Origins a browser may connect from; empty means any. */
    public List<String> allowedOrigins() {
        return allowedOrigins;
    }

    /** The largest frame payload and the largest reassembled message, in bytes. */
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** Read silence after which the server pings. */
    public Duration pingInterval() {
        return pingInterval;
    }

    /** Read silence after which the server closes the connection (1001). */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** How long a close frame may take to leave before the TCP connection is cut anyway. */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** The {@code Retry-After} of a 503 answered while draining. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public int writeBufferLowWaterMark() {
        return writeBufferLowWaterMark;
    }

    /** Unflushed bytes above which a connection reports itself unwritable to the edge. */
    public int writeBufferHighWaterMark() {
        return writeBufferHighWaterMark;
    }

    /** Event loop threads of the gateway's own port; 0 lets Netty choose. */
    public int ioThreads() {
        return ioThreads;
    }

    /**
     * The kernel send buffer of each connection ({@code SO_SNDBUF}), 0 for the system's default.
     * The kernel buffer comes on top of the bounded queues, so a small one makes a stalled
     * client count as slow sooner; the default lets the kernel size it (up to megabytes).
     */
    public int socketSendBuffer() {
        return socketSendBuffer;
    }

    @Override
    public String toString() {
        return "WebSocketConfig{path=" + path + ", allowedOrigins=" + allowedOrigins + ", maxMessageBytes="
                + maxMessageBytes + ", pingInterval=" + pingInterval + ", idleTimeout=" + idleTimeout
                + ", closeTimeout=" + closeTimeout + ", retryAfter=" + retryAfter + ", writeBufferWaterMarks="
                + writeBufferLowWaterMark + '/' + writeBufferHighWaterMark + ", ioThreads=" + ioThreads
                + ", socketSendBuffer=" + socketSendBuffer + '}';
    }

    /** Builder with the documented defaults. */
    public static final class Builder {
        private String path = "/ws";
        private List<String> allowedOrigins = List.of();
        private int maxMessageBytes = 64 * 1024 + ENVELOPE_SLACK_BYTES;
        private Duration pingInterval = Duration.ofSeconds(20);
        private Duration idleTimeout = Duration.ofSeconds(40);
        private Duration closeTimeout = Duration.ofSeconds(1);
        private Duration retryAfter = Duration.ofSeconds(5);
        private int writeBufferLowWaterMark = 32 * 1024;
        private int writeBufferHighWaterMark = 64 * 1024;
        private int ioThreads;
        private int socketSendBuffer;

        private Builder() {
        }

        public Builder path(String path) {
            Objects.requireNonNull(path, "path");
            if (!path.startsWith("/") || path.contains("?") || path.contains("#")) {
                throw new IllegalArgumentException("path must start with / and have no query or fragment: " + path);
            }
            this.path = path;
            return this;
        }

        public Builder allowedOrigins(List<String> allowedOrigins) {
            Objects.requireNonNull(allowedOrigins, "allowedOrigins");
            for (String origin : allowedOrigins) {
                if (origin == null || origin.isBlank()) {
                    throw new IllegalArgumentException("allowedOrigins must not contain blank entries");
                }
            }
            this.allowedOrigins = List.copyOf(allowedOrigins);
            return this;
        }

        public Builder maxMessageBytes(int maxMessageBytes) {
            if (maxMessageBytes < 1024) {
                throw new IllegalArgumentException("maxMessageBytes must be >= 1024: " + maxMessageBytes);
            }
            this.maxMessageBytes = maxMessageBytes;
            return this;
        }

        public Builder pingInterval(Duration pingInterval) {
            this.pingInterval = positive("pingInterval", pingInterval);
            return this;
        }

        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = positive("idleTimeout", idleTimeout);
            return this;
        }

        public Builder closeTimeout(Duration closeTimeout) {
            this.closeTimeout = positive("closeTimeout", closeTimeout);
            return this;
        }

        public Builder retryAfter(Duration retryAfter) {
            Duration d = positive("retryAfter", retryAfter);
            if (d.toSeconds() < 1) {
                throw new IllegalArgumentException("retryAfter must be at least 1 s: " + retryAfter);
            }
            this.retryAfter = d;
            return this;
        }

        public Builder writeBufferWaterMarks(int low, int high) {
            if (low < 1) {
                throw new IllegalArgumentException("writeBufferLowWaterMark must be >= 1: " + low);
            }
            if (high < low) {
                throw new IllegalArgumentException("writeBufferHighWaterMark must be >= writeBufferLowWaterMark ("
                        + low + "): " + high);
            }
            this.writeBufferLowWaterMark = low;
            this.writeBufferHighWaterMark = high;
            return this;
        }

        public Builder ioThreads(int ioThreads) {
            if (ioThreads < 0) {
                throw new IllegalArgumentException("ioThreads must be >= 0: " + ioThreads);
            }
            this.ioThreads = ioThreads;
            return this;
        }

        public Builder socketSendBuffer(int socketSendBuffer) {
            if (socketSendBuffer < 0) {
                throw new IllegalArgumentException("socketSendBuffer must be >= 0: " + socketSendBuffer);
            }
            this.socketSendBuffer = socketSendBuffer;
            return this;
        }

        /** Checks the settings together: the idle timeout must leave room for the ping to be answered. */
        public WebSocketConfig build() {
            if (idleTimeout.compareTo(pingInterval) <= 0) {
                throw new IllegalArgumentException("idleTimeout (" + idleTimeout
                        + ") must be longer than pingInterval (" + pingInterval + ")");
            }
            return new WebSocketConfig(this);
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
