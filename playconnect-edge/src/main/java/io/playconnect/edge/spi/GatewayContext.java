package io.playconnect.edge.spi;

import io.micrometer.core.instrument.MeterRegistry;
import io.playconnect.edge.Edge;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a gateway gets from the server: deliberately narrow. Shared infrastructure the edge knows
 * nothing about (say, the HTTP server a WebSocket gateway mounts {@code /ws} on) comes as a typed
 * {@link #extension}.
 */
public interface GatewayContext {
    Edge edge();

    GatewaySettings settings();

    MeterRegistry meterRegistry();

    /** The extension of that exact type the server offers, if any. */
    <T> Optional<T> extension(Class<T> type);

    static Builder newBuilder() {
        return new Builder();
    }

    /** Builds the plain context the server hands to each gateway. */
    final class Builder {
        private Edge edge;
        private GatewaySettings settings = GatewaySettings.newBuilder().build();
        private MeterRegistry meterRegistry;
        private final Map<Class<?>, Object> extensions = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder edge(Edge edge) {
            this.edge = Objects.requireNonNull(edge, "edge");
            return this;
        }

        public Builder settings(GatewaySettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
            return this;
        }

        public <T> Builder extension(Class<T> type, T value) {
            Objects.requireNonNull(type, "type");
            extensions.put(type, type.cast(Objects.requireNonNull(value, "value")));
            return this;
        }

        public GatewayContext build() {
            if (edge == null) {
                throw new IllegalArgumentException("edge is required");
            }
            MeterRegistry registry = meterRegistry != null ? meterRegistry : edge.metrics().registry();
            Map<Class<?>, Object> ext = Map.copyOf(extensions);
            Edge e = edge;
            GatewaySettings s = settings;
            return new GatewayContext() {
                @Override
                public Edge edge() {
                    return e;
                }

                @Override
                public GatewaySettings settings() {
                    return s;
                }

                @Override
                public MeterRegistry meterRegistry() {
                    return registry;
                }

                @Override
                public <T> Optional<T> extension(Class<T> type) {
                    return Optional.ofNullable(type.cast(ext.get(type)));
                }
            };
        }
    }
}
