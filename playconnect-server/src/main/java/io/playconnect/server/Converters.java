package io.playconnect.server;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks and converts option values. Each message says what is wrong with the value only: the
 * error handler puts the option's name (and where the value came from) in front of it.
 */
final class Converters {
    private Converters() {
    }

    static String quoted(String value) {
        String cut = value.length() > 60 ? value.substring(0, 60) + "..." : value;
        return "'" + cut.replaceAll("[^\\x20-\\x7e]", "?") + "'";
    }

    static final class Port implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                int port = Integer.parseInt(value.trim());
                if (port >= 0 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new TypeConversionException("not a port number: " + quoted(value));
        }
    }

    static final class Partitions implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                int n = Integer.parseInt(value.trim());
                if (n >= 1 && n <= 4096) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new TypeConversionException("must be a whole number from 1 to 4096: " + quoted(value));
        }
    }

    static final class PositiveInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                int n = Integer.parseInt(value.trim());
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // falls through to the one-line message below
            }
            throw new TypeConversionException("not a positive whole number: " + quoted(value));
        }
    }

    static final class Replicas implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                int n = Integer.parseInt(value.trim());
                if (n >= 1 && n <= 5) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new TypeConversionException("must be a whole number from 1 to 5: " + quoted(value));
        }
    }

    static final class Tenant implements ITypeConverter<String> {
        private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]{0,31}");

        @Override
        public String convert(String value) {
            if (!NAME.matcher(value).matches()) {
                throw new TypeConversionException("a tenant is 1-32 lower-case letters and digits, starting with a letter: "
                        + quoted(value));
            }
            return value;
        }
    }

    static final class Host implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String host = value.trim();
            if (host.isEmpty() || !host.matches("[A-Za-z0-9.:\\-\\[\\]%]+")) {
                throw new TypeConversionException("not a host name or IP address: " + quoted(value));
            }
            try {
                // Resolved once here so a typo fails now, with the option's name, not at bind time.
                InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new TypeConversionException("cannot resolve " + quoted(value));
            }
            return host;
        }
    }

    static final class RoleName implements ITypeConverter<Role> {
        @Override
        public Role convert(String value) {
            Role role = Role.fromOptionName(value);
            if (role == null) {
                throw new TypeConversionException("unknown role " + quoted(value) + " (expected engine, gateway)");
            }
            return role;
        }
    }

    /** A protocol name for {@code --gateways}; whether such a gateway exists is checked at start. */
    static final class GatewayName implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!value.matches(ServerConfig.GATEWAY_NAME)) {
                throw new TypeConversionException("not a protocol name: " + quoted(value)
                        + " (expected websocket, mqtt or grpc)");
            }
            return value;
        }
    }

    static final class BrokerUrl implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            return url(value, "nats://");
        }
    }

    static final class StoreUrl implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            return url(value, "redis://");
        }
    }

    private static String url(String value, String scheme) {
        String v = value.trim();
        if (v.equals("memory") || (v.startsWith(scheme) && v.length() > scheme.length() && !v.contains(" "))) {
            return v;
        }
        throw new TypeConversionException("expected 'memory' or " + scheme + "HOST:PORT: " + quoted(value));
    }

    static final class Secret implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            int bytes = value.getBytes(StandardCharsets.UTF_8).length;
            if (bytes < ServerConfig.MIN_SECRET_BYTES) {
                throw new TypeConversionException("must be at least " + ServerConfig.MIN_SECRET_BYTES
                        + " bytes for HS256 (got " + bytes + ")");
            }
            return value;
        }
    }

    /** {@code 90s}, {@code 15m}, {@code 1h}, {@code 7d}, or ISO-8601 such as {@code PT1H30M}; at most 365 days. */
    static final class Ttl implements ITypeConverter<Duration> {
        private static final Pattern SHORT = Pattern.compile("(\\d{1,9})([smhd])");

        @Override
        public Duration convert(String value) {
            Duration d = parse(value.trim().toLowerCase(Locale.ROOT));
            if (d == null || d.isNegative() || d.isZero() || d.compareTo(Duration.ofDays(365)) > 0) {
                throw new TypeConversionException("not a duration from 1s to 365d (such as 90s, 15m, 1h, 7d): "
                        + quoted(value));
            }
            return d;
        }

        private static Duration parse(String v) {
            Matcher m = SHORT.matcher(v);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            try {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }

    /** {@code 500ms}, {@code 3s}, {@code 2m} or ISO-8601 ({@code PT3S}), within the bounds each subclass sets. */
    abstract static class Interval implements ITypeConverter<Duration> {
        private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m)");
        private final Duration min;
        private final Duration max;

        Interval(Duration min, Duration max) {
            this.min = min;
            this.max = max;
        }

        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            Matcher m = SHORT.matcher(v);
            Duration d = null;
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                d = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    default -> Duration.ofMinutes(n);
                };
            } else {
                try {
                    d = Duration.parse(v.toUpperCase(Locale.ROOT));
                } catch (DateTimeParseException e) {
                    // reported below
                }
            }
            if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new TypeConversionException("not a duration from " + text(min) + " to " + text(max)
                        + " (such as 500ms, 3s, 1m): " + quoted(value));
            }
            return d;
        }

        private static String text(Duration d) {
            return d.toMillis() % 60_000 == 0 ? d.toMinutes() + "m"
                    : d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
        }
    }

    static final class LeaseTtl extends Interval {
        LeaseTtl() {
            super(ServerConfig.MIN_LEASE_TTL, ServerConfig.MAX_LEASE_TTL);
        }
    }

    static final class CommandTimeout extends Interval {
        CommandTimeout() {
            super(Duration.ofMillis(100), Duration.ofMinutes(5));
        }
    }

    static final class RoomPattern implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                JwtMinter.checkRoomPattern(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
            return value;
        }
    }

    static final class ScopeName implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String scope = value.trim().toLowerCase(Locale.ROOT);
            if (!JwtMinter.SCOPES.contains(scope)) {
                throw new TypeConversionException("unknown scope " + quoted(value) + " (expected "
                        + String.join(", ", JwtMinter.SCOPES) + ")");
            }
            return scope;
        }
    }

    static final class Subject implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (value.isBlank() || value.length() > 128 || value.chars().anyMatch(Character::isISOControl)) {
                throw new TypeConversionException("must be 1 to 128 printable characters: " + quoted(value));
            }
            return value;
        }
    }
}
