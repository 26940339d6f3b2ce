package io.playconnect.gateway.grpc;

import io.playconnect.edge.spi.GatewaySettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The gRPC gateway's settings beyond host and port, immutable. Each value is checked when set,
 * with the option's name in the message. From the server's options ({@link #fromSettings}):
 * <ul>
 *   <li>{@code grpc-tls-cert} / {@code grpc-tls-key}: PEM certificate chain and PKCS#8 private key;
 *       both set means TLS on the gRPC port</li>
 *   <li>{@code grpc-max-message-bytes}: the largest request message; default the payload limit
 *       plus 16 KiB for the other fields. Larger ones end the call with RESOURCE_EXHAUSTED</li>
 *   <li>{@code grpc-keepalive-min}: the most frequent client keepalive ping allowed (default 10s)</li>
 *   <li>{@code grpc-service-session-idle}: how long the edge session behind unary calls and the
 *       HTTP API stays open without use (default 60s)</li>
 *   <li>{@code http-api}: mount {@code /api/v1} on the HTTP server (default true)</li>
 * </ul>
 */
public final class GrpcConfig {
    static final int FIELD_HEADROOM = 16 * 1024;

    private final Path tlsCert;
    private final Path tlsKey;
    private final int maxMessageBytes;
    private final Duration keepAliveMin;
    private final Duration serviceSessionIdle;
    private final boolean httpApi;

    private GrpcConfig(Builder b) {
        this.tlsCert = b.tlsCert;
        this.tlsKey = b.tlsKey;
        this.maxMessageBytes = b.maxMessageBytes;
        this.keepAliveMin = b.keepAliveMin;
        this.serviceSessionIdle = b.serviceSessionIdle;
        this.httpApi = b.httpApi;
    }

    public static Builder newBuilder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder().maxMessageBytes(maxMessageBytes).keepAliveMin(keepAliveMin)
                .serviceSessionIdle(serviceSessionIdle).httpApi(httpApi);
        if (tlsCert != null) {
            b.tls(tlsCert, tlsKey);
        }
        return b;
    }

    /** Reads the {@code grpc-*} and {@code http-api} options; the message limit follows the payload limit. */
    public static GrpcConfig fromSettings(GatewaySettings settings, int maxPayloadBytes) {
        Builder b = newBuilder().maxMessageBytes(maxPayloadBytes + FIELD_HEADROOM);
        String cert = settings.option("grpc-tls-cert", null);
        String key = settings.option("grpc-tls-key", null);
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("grpc-tls-cert and grpc-tls-key must be set together");
        }
        if (cert != null) {
            b.tls(Path.of(cert), Path.of(key));
        }
        String max = settings.option("grpc-max-message-bytes", null);
        if (max != null) {
            b.maxMessageBytes(parseInt("grpc-max-message-bytes", max));
        }
        String keepAlive = settings.option("grpc-keepalive-min", null);
        if (keepAlive != null) {
            b.keepAliveMin(parseDuration("grpc-keepalive-min", keepAlive));
        }
        String idle = settings.option("grpc-service-session-idle", null);
        if (idle != null) {
            b.serviceSessionIdle(parseDuration("grpc-service-session-idle", idle));
        }
        String api = settings.option("http-api", null);
        if (api != null) {
            b.httpApi(parseBoolean("http-api", api));
        }
        return b.build();
    }

    /** The certificate chain, or null without TLS. */
    public Path tlsCert() {
        return tlsCert;
    }

    /** The private key, or null without TLS. */
    public Path tlsKey() {
        return tlsKey;
    }

    public boolean tls() {
        return tlsCert != null;
    }

    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    public Duration keepAliveMin() {
        return keepAliveMin;
    }

    public Duration serviceSessionIdle() {
        return serviceSessionIdle;
    }

    public boolean httpApi() {
        return httpApi;
    }

    @Override
    public String toString() {
        return "GrpcConfig{tls=" + tls() + ", maxMessageBytes=" + maxMessageBytes + ", keepAliveMin=" + keepAliveMin
                + ", serviceSessionIdle=" + serviceSessionIdle + ", httpApi=" + httpApi + '}';
    }

    static int parseInt(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer: " + value);
        }
    }

    static boolean parseBoolean(String name, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("yes") || v.equals("1")) {
            return true;
        }
        if (v.equals("false") || v.equals("no") || v.equals("0")) {
            return false;
        }
        throw new IllegalArgumentException(name + " must be true or false: " + value);
    }

    /** {@code 2s}, {@code 500ms}, {@code 1m}, {@code PT2S} or plain seconds. */
    static Duration parseDuration(String name, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
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
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + " must be a duration such as 2s or 500ms: " + value);
        }
    }

    /** Builder; defaults: no TLS, 80 KiB messages, keepalive pings at most every 10 s, 60 s idle, HTTP API on. */
    public static final class Builder {
        private Path tlsCert;
        private Path tlsKey;
        private int maxMessageBytes = 64 * 1024 + FIELD_HEADROOM;
        private Duration keepAliveMin = Duration.ofSeconds(10);
        private Duration serviceSessionIdle = Duration.ofSeconds(60);
        private boolean httpApi = true;

        private Builder() {
        }

        /** TLS with a PEM certificate chain and a PKCS#8 PEM private key; both files must exist. */
        public Builder tls(Path cert, Path key) {
            Objects.requireNonNull(cert, "grpc-tls-cert");
            Objects.requireNonNull(key, "grpc-tls-key");
            if (!Files.isReadable(cert)) {
                throw new IllegalArgumentException("grpc-tls-cert is not a readable file: " + cert);
            }
            if (!Files.isReadable(key)) {
                throw new IllegalArgumentException("grpc-tls-key is not a readable file: " + key);
            }
            this.tlsCert = cert;
            this.tlsKey = key;
            return this;
        }

        public Builder maxMessageBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("grpc-max-message-bytes must be >= 1024: " + bytes);
            }
            this.maxMessageBytes = bytes;
            return this;
        }

        public Builder keepAliveMin(Duration keepAliveMin) {
            Objects.requireNonNull(keepAliveMin, "grpc-keepalive-min");
            if (keepAliveMin.isNegative()) {
                throw new IllegalArgumentException("grpc-keepalive-min must not be negative: " + keepAliveMin);
            }
            this.keepAliveMin = keepAliveMin;
            return this;
        }

        public Builder serviceSessionIdle(Duration idle) {
            Objects.requireNonNull(idle, "grpc-service-session-idle");
            if (idle.toMillis() < 100) {
                throw new IllegalArgumentException("grpc-service-session-idle must be >= 100ms: " + idle);
            }
            this.serviceSessionIdle = idle;
            return this;
        }

        public Builder httpApi(boolean httpApi) {
            this.httpApi = httpApi;
            return this;
        }

        public GrpcConfig build() {
            return new GrpcConfig(this);
        }
    }
}
