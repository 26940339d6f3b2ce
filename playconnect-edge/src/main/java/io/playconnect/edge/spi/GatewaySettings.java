package io.playconnect.edge.spi;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A gateway's settings: where to listen (port -1 means "share the HTTP port"), which browser
 * origins may connect (empty: any) and protocol-specific options as strings. Immutable.
 */
public final class GatewaySettings {
    private final String host;
    private final int port;
    private final List<String> allowedOrigins;
    private final Map<String, String> options;

    private GatewaySettings(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.allowedOrigins = List.copyOf(b.allowedOrigins);
        this.options = Map.copyOf(b.options);
    }

    public static Builder newBuilder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().host(host).port(port).allowedOrigins(allowedOrigins).options(options);
    }

    public String host() {
        return host;
    }

    /** The port for this protocol; 0 for any free port; -1 to share the HTTP port. */
    public int port() {
        return port;
    }

    public boolean sharesHttpPort() {
        return port == -1;
    }

    public List<String> allowedOrigins() {
        return allowedOrigins;
    }

    public Map<String, String> options() {
        return options;
    }

    public String option(String key, String defaultValue) {
        return options.getOrDefault(key, defaultValue);
    }

    @Override
    public String toString() {
        return "GatewaySettings{host=" + host + ", port=" + port + ", allowedOrigins=" + allowedOrigins
                + ", options=" + options + '}';
    }

    /** Builder; defaults: host 0.0.0.0, share the HTTP port, any origin, no options. */
    public static final class Builder {
        private String host = "0.0.0.0";
        private int port = -1;
        private List<String> allowedOrigins = List.of();
        private Map<String, String> options = Map.of();

        private Builder() {
        }

        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            if (port < -1 || port > 65535) {
                throw new IllegalArgumentException("port must be -1 (share HTTP) or 0..65535: " + port);
            }
            this.port = port;
            return this;
        }

        public Builder allowedOrigins(List<String> origins) {
            Objects.requireNonNull(origins, "allowedOrigins");
            origins.forEach(o -> Objects.requireNonNull(o, "allowedOrigins element"));
            this.allowedOrigins = origins;
            return this;
        }

        public Builder options(Map<String, String> options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        public GatewaySettings build() {
            return new GatewaySettings(this);
        }
    }
}
