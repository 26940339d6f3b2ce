package io.playconnect.edge.spi;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A gateway's settings: where to listen (port -1 means "share the HTTP port"), which browser
 * origins may connect (empty: any) and protocol-specific options as strings. Immutable.
 *
 * <p>The typed option accessors ({@link #intOption}, {@link #booleanOption}, {@link #durationOption})
 * give the default when the option is absent and throw an {@link IllegalArgumentException} that
 * names the option when its value does not parse, so every gateway reports a bad option alike.
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

    /** The option as a decimal integer (surrounding blanks allowed), or {@code defaultValue} when absent. */
    public int intOption(String key, int defaultValue) {
        return typedOption(key, defaultValue, "an integer", v -> Integer.parseInt(v.trim()));
    }

    /**
     * The option as a flag, or {@code defaultValue} when absent: {@code true}, {@code yes} or
     * {@code 1} are true; {@code false}, {@code no}, {@code 0} or a blank value are false (any case).
     */
    public boolean booleanOption(String key, boolean defaultValue) {
        return typedOption(key, defaultValue, "true or false", GatewaySettings::parseFlag);
    }

    /**
     * The option as a duration, or {@code defaultValue} (which may be null) when absent. Takes
     * {@code 500ms}, {@code 20s}, {@code 2m}, ISO-8601 such as {@code PT1.5S}, or plain seconds.
     * The sign is not checked here: the gateway's config says which durations must be positive.
     */
    public Duration durationOption(String key, Duration defaultValue) {
        return typedOption(key, defaultValue, "a duration such as 20s or 500ms", GatewaySettings::parseDuration);
    }

    private <T> T typedOption(String key, T defaultValue, String expected, Function<String, T> parse) {
        String value = options.get(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            return parse.apply(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + " must be " + expected + ": " + value);
        }
    }

    private static boolean parseFlag(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("yes") || v.equals("1")) {
            return true;
        }
        if (v.equals("false") || v.equals("no") || v.equals("0") || v.isEmpty()) {
            return false;
        }
        throw new IllegalArgumentException("not a flag");
    }

    private static Duration parseDuration(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.startsWith("pt")) {
            return Duration.parse(v.toUpperCase(Locale.ROOT));
        }
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
        }
        if (v.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1).trim()));
        }
        if (v.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1).trim()));
        }
        return Duration.ofSeconds(Long.parseLong(v));
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
