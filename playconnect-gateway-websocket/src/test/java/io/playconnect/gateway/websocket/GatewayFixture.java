package io.playconnect.gateway.websocket;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.playconnect.broker.memory.InMemoryBroker;
import io.playconnect.broker.memory.InMemoryPresenceStore;
import io.playconnect.core.spi.RoomLogConfig;
import io.playconnect.edge.Edge;
import io.playconnect.edge.auth.JwtTokenVerifier;
import io.playconnect.edge.limits.EdgeLimits;
import io.playconnect.edge.spi.GatewayContext;
import io.playconnect.edge.spi.GatewaySettings;
import io.playconnect.edge.spi.Listener;
import io.playconnect.engine.SyncEngine;
import io.playconnect.http.HttpServer;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Everything of one PlayConnect process, in this JVM on real sockets: in-memory broker and
 * presence, engine, edge with JWT auth, the shared HTTP server and the WebSocket gateway on it
 * (or on a port of its own).
 */
final class GatewayFixture implements AutoCloseable {
    static final String SECRET_TEXT = "ws-gateway-test-secret-0123456789abcdef";
    static final byte[] SECRET = SECRET_TEXT.getBytes(StandardCharsets.UTF_8);
    static final List<String> ALL_SCOPES = List.of("subscribe", "publish", "presence");
    /** What most test users hold: everything in chat rooms, nothing elsewhere. */
    static final Map<String, List<String>> CHAT_ONLY = Map.of("chat.*", ALL_SCOPES);

    final InMemoryBroker broker;
    final InMemoryPresenceStore presence;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final SyncEngine engine;
    final Edge edge;
    final HttpServer http;
    final WebSocketGateway gateway = new WebSocketGateway();
    final List<Listener> listeners;
    final URI wsUri;

    private GatewayFixture(Builder b) {
        broker = InMemoryBroker.newBuilder().roomLogConfig(b.roomLog).build();
        presence = InMemoryPresenceStore.newBuilder().build();
        engine = SyncEngine.newBuilder().broker(broker).partitions(4).build();
        engine.start().join();
        edge = Edge.newBuilder().broker(broker).presenceStore(presence)
                .tokenVerifier(JwtTokenVerifier.newBuilder().hmacSecret(SECRET)
                        // No grace after exp, so expiry tests take seconds, not the default 30 s skew.
                        .clockSkew(Duration.ZERO).build())
                .limits(b.limits).meterRegistry(registry).partitions(4).gatewayId("gw-ws-test")
                .build();
        edge.start().join();
        http = HttpServer.newBuilder().host("127.0.0.1").port(0).build();
        http.start().join();
        GatewaySettings settings = GatewaySettings.newBuilder().host("127.0.0.1")
                .port(b.ownPort ? 0 : -1).allowedOrigins(b.allowedOrigins).options(b.options).build();
        GatewayContext context = GatewayContext.newBuilder().edge(edge).settings(settings)
                .meterRegistry(registry).extension(HttpServer.class, http).build();
        listeners = gateway.start(context).join();
        wsUri = listeners.get(0).uri();
    }

    static Builder newBuilder() {
        return new Builder();
    }

    String token(String user, Map<String, List<String>> rooms, Instant expiresAt) {
        try {
            JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(user).issueTime(new Date())
                    .expirationTime(Date.from(expiresAt)).claim("rooms", rooms).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(SECRET));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    String token(String user) {
        return token(user, CHAT_ONLY, Instant.now().plus(Duration.ofHours(1)));
    }

    /** A client authenticated with {@code ?token=}, after its {@code authenticated} frame. */
    WsClient connect(String user) {
        WsClient client = WsClient.connect(wsUri, token(user));
        client.nextOp("authenticated");
        return client;
    }

    double counter(String name, String... tags) {
        Counter c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Override
    public void close() {
        gateway.close();
        edge.close();
        http.stop().join();
        engine.close();
        presence.close();
        broker.close();
    }

    /** Fixture options; defaults suit tests: many connections from one address, a short auth deadline. */
    static final class Builder {
        private EdgeLimits limits = testLimits(UnaryOperator.identity());
        private RoomLogConfig roomLog = RoomLogConfig.defaults();
        private Map<String, String> options = Map.of();
        private List<String> allowedOrigins = List.of();
        private boolean ownPort;

        static EdgeLimits testLimits(UnaryOperator<EdgeLimits.Builder> change) {
            return change.apply(EdgeLimits.newBuilder()
                    .connectionsPerSecondPerIp(10_000)
                    .maxConnectionsPerIp(10_000)
                    .authDeadline(Duration.ofMillis(800))).build();
        }

        Builder limits(UnaryOperator<EdgeLimits.Builder> change) {
            this.limits = testLimits(change);
            return this;
        }

        Builder roomLog(RoomLogConfig roomLog) {
            this.roomLog = roomLog;
            return this;
        }

        Builder options(Map<String, String> options) {
            this.options = options;
            return this;
        }

        Builder allowedOrigins(List<String> allowedOrigins) {
            this.allowedOrigins = allowedOrigins;
            return this;
        }

        Builder ownPort(boolean ownPort) {
            this.ownPort = ownPort;
            return this;
        }

        GatewayFixture build() {
            return new GatewayFixture(this);
        }
    }
}
