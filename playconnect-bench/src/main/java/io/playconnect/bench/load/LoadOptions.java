package io.playconnect.bench.load;

import java.time.Duration;
import java.util.Objects;

/**
 * The sizes and pacing of every workload, immutable; each setter validates and names the
 * parameter. Defaults are the full-size runs of the WebSocket benchmark; tests and first runs use
 * small sizes.
 */
public final class LoadOptions {
    private final int connections;
    private final int subscribers;
    private final int pacedSubscribers;
    private final int stormClients;
    private final int messages;
    private final int rate;
    private final Duration duration;
    private final Duration warmup;
    private final int stormEvents;
    private final int payloadBytes;
    private final int publishWindow;
    private final int sourceAddresses;
    private final int maxPending;
    private final int ioThreads;
    private final Duration settle;
    private final Duration stepTimeout;
    private final int unaryRate;
    private final int unaryRooms;
    private final int idleRooms;
    private final int crossRate;
    private final int crossPublishers;
    private final int crossSubscribers;

    private LoadOptions(Builder b) {
        connections = b.connections;
        subscribers = b.subscribers;
        pacedSubscribers = b.pacedSubscribers;
        stormClients = b.stormClients;
        messages = b.messages;
        rate = b.rate;
        duration = b.duration;
        warmup = b.warmup;
        stormEvents = b.stormEvents;
        payloadBytes = b.payloadBytes;
        publishWindow = b.publishWindow;
        sourceAddresses = b.sourceAddresses;
        maxPending = b.maxPending;
        ioThreads = b.ioThreads;
        settle = b.settle;
        stepTimeout = b.stepTimeout;
        unaryRate = b.unaryRate;
        unaryRooms = b.unaryRooms;
        idleRooms = b.idleRooms;
        crossRate = b.crossRate;
        crossPublishers = b.crossPublishers;
        crossSubscribers = b.crossSubscribers;
    }

    public static Builder newBuilder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().connections(connections).subscribers(subscribers).pacedSubscribers(pacedSubscribers)
                .stormClients(stormClients).messages(messages).rate(rate).duration(duration).warmup(warmup)
                .stormEvents(stormEvents).payloadBytes(payloadBytes).publishWindow(publishWindow)
                .sourceAddresses(sourceAddresses).maxPending(maxPending).ioThreads(ioThreads).settle(settle)
                .stepTimeout(stepTimeout).unaryRate(unaryRate).unaryRooms(unaryRooms).idleRooms(idleRooms)
                .crossRate(crossRate).crossPublishers(crossPublishers).crossSubscribers(crossSubscribers);
    }

    /** Idle density: connections, each in two rooms. */
    public int connections() {
        return connections;
    }

    /** Burst fan-out: subscribers of the one room. */
    public int subscribers() {
        return subscribers;
    }

    /** Paced fan-out: subscribers of the one room. */
    public int pacedSubscribers() {
        return pacedSubscribers;
    }

    /** Reconnect storm: clients dropped and reconnected at once. */
    public int stormClients() {
        return stormClients;
    }

    /** Burst fan-out: messages per round (one warm-up round, one measured). */
    public int messages() {
        return messages;
    }

    /** Paced fan-out: messages per second. */
    public int rate() {
        return rate;
    }

    /** Paced fan-out: how long the measured part publishes. */
    public Duration duration() {
        return duration;
    }

    /** Paced fan-out: how long the warm-up part publishes before measuring. */
    public Duration warmup() {
        return warmup;
    }

    /** Reconnect storm: events published before the drop, and again while the clients are away. */
    public int stormEvents() {
        return stormEvents;
    }

    public int payloadBytes() {
        return payloadBytes;
    }

    /** Publishes in flight at once: PlayConnect queues at most 16 commands per session and room. */
    public int publishWindow() {
        return publishWindow;
    }

    public int sourceAddresses() {
        return sourceAddresses;
    }

    /** Handshakes in flight at once while opening clients. */
    public int maxPending() {
        return maxPending;
    }

    public int ioThreads() {
        return ioThreads;
    }

    /** Idle density: quiet time before memory is measured. */
    public Duration settle() {
        return settle;
    }

    /** Upper bound of every step that waits (opening clients, waiting for deliveries). */
    public Duration stepTimeout() {
        return stepTimeout;
    }

    /** Unary publish: requests per second, sent on schedule whatever the answers do. */
    public int unaryRate() {
        return unaryRate;
    }

    /** Unary publish: rooms the requests are spread over, round robin. */
    public int unaryRooms() {
        return unaryRooms;
    }

    /** Idle density: rooms (subscriptions) per connection, 2 for WebSocket, 1 for MQTT. */
    public int idleRooms() {
        return idleRooms;
    }

    /** Cross-protocol: messages per second, all publishers together, sent on schedule. */
    public int crossRate() {
        return crossRate;
    }

    /** Cross-protocol: publishing connections the rate is spread over, round robin. */
    public int crossPublishers() {
        return crossPublishers;
    }

    /** Cross-protocol: subscribers of the one room, each receiving every message. */
    public int crossSubscribers() {
        return crossSubscribers;
    }

    /** Builder with the full-size defaults. */
    public static final class Builder {
        private int connections = 15_000;
        private int subscribers = 1_000;
        private int pacedSubscribers = 10_000;
        private int stormClients = 10_000;
        private int messages = 500;
        private int rate = 10;
        private Duration duration = Duration.ofSeconds(30);
        private Duration warmup = Duration.ofSeconds(5);
        private int stormEvents = 5;
        private int payloadBytes = 64;
        private int publishWindow = 16;
        private int sourceAddresses = 20;
        private int maxPending = 500;
        private int ioThreads = 2;
        private Duration settle = Duration.ofSeconds(3);
        private Duration stepTimeout = Duration.ofSeconds(180);
        private int unaryRate = 10_000;
        private int unaryRooms = 64;
        private int idleRooms = 2;
        private int crossRate = 20_000;
        private int crossPublishers = 40;
        private int crossSubscribers = 2;

        private Builder() {
        }

        public Builder connections(int v) {
            connections = atLeast("connections", v, 1);
            return this;
        }

        public Builder subscribers(int v) {
            subscribers = atLeast("subscribers", v, 1);
            return this;
        }

        public Builder pacedSubscribers(int v) {
            pacedSubscribers = atLeast("pacedSubscribers", v, 1);
            return this;
        }

        public Builder stormClients(int v) {
            stormClients = atLeast("stormClients", v, 1);
            return this;
        }

        public Builder messages(int v) {
            messages = atLeast("messages", v, 1);
            return this;
        }

        public Builder rate(int v) {
            rate = atLeast("rate", v, 1);
            if (v > 10_000) {
                throw new IllegalArgumentException("rate must be at most 10000 messages/s: " + v);
            }
            return this;
        }

        public Builder duration(Duration v) {
            duration = positive("duration", v);
            return this;
        }

        public Builder warmup(Duration v) {
            Objects.requireNonNull(v, "warmup");
            if (v.isNegative()) {
                throw new IllegalArgumentException("warmup must be >= 0: " + v);
            }
            warmup = v;
            return this;
        }

        public Builder stormEvents(int v) {
            stormEvents = atLeast("stormEvents", v, 1);
            return this;
        }

        public Builder payloadBytes(int v) {
            payloadBytes = atLeast("payloadBytes", v, Payloads.MIN_SIZE);
            return this;
        }

        public Builder publishWindow(int v) {
            publishWindow = atLeast("publishWindow", v, 1);
            return this;
        }

        public Builder sourceAddresses(int v) {
            sourceAddresses = atLeast("sourceAddresses", v, 1);
            if (v > SourceAddresses.MAX) {
                throw new IllegalArgumentException("sourceAddresses must be at most " + SourceAddresses.MAX + ": " + v);
            }
            return this;
        }

        public Builder maxPending(int v) {
            maxPending = atLeast("maxPending", v, 1);
            return this;
        }

        public Builder ioThreads(int v) {
            ioThreads = atLeast("ioThreads", v, 1);
            return this;
        }

        public Builder settle(Duration v) {
            Objects.requireNonNull(v, "settle");
            if (v.isNegative()) {
                throw new IllegalArgumentException("settle must be >= 0: " + v);
            }
            settle = v;
            return this;
        }

        public Builder stepTimeout(Duration v) {
            stepTimeout = positive("stepTimeout", v);
            return this;
        }

        public Builder unaryRate(int v) {
            unaryRate = atLeast("unaryRate", v, 1);
            if (v > 1_000_000) {
                throw new IllegalArgumentException("unaryRate must be at most 1000000 requests/s: " + v);
            }
            return this;
        }

        public Builder unaryRooms(int v) {
            unaryRooms = atLeast("unaryRooms", v, 1);
            return this;
        }

        public Builder idleRooms(int v) {
            idleRooms = atLeast("idleRooms", v, 1);
            if (v > 64) {
                throw new IllegalArgumentException("idleRooms must be at most 64 (the edge's rooms per session): " + v);
            }
            return this;
        }

        public Builder crossRate(int v) {
            crossRate = atLeast("crossRate", v, 1);
            if (v > 1_000_000) {
                throw new IllegalArgumentException("crossRate must be at most 1000000 messages/s: " + v);
            }
            return this;
        }

        public Builder crossPublishers(int v) {
            crossPublishers = atLeast("crossPublishers", v, 1);
            return this;
        }

        public Builder crossSubscribers(int v) {
            crossSubscribers = atLeast("crossSubscribers", v, 1);
            return this;
        }

        public LoadOptions build() {
            return new LoadOptions(this);
        }

        private static int atLeast(String name, int v, int min) {
            if (v < min) {
                throw new IllegalArgumentException(name + " must be >= " + min + ": " + v);
            }
            return v;
        }

        private static Duration positive(String name, Duration v) {
            Objects.requireNonNull(v, name);
            if (v.isNegative() || v.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + v);
            }
            return v;
        }
    }
}
