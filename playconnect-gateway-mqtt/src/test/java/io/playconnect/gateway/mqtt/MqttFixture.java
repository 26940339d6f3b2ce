package io.playconnect.gateway.mqtt;

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
import io.playconnect.broker.memory.InMemorySessionStore;
import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.SessionStore;
import io.playconnect.edge.Edge;
import io.playconnect.edge.auth.JwtTokenVerifier;
import io.playconnect.edge.limits.EdgeLimits;
import io.playconnect.edge.spi.GatewayContext;
import io.playconnect.edge.spi.GatewaySettings;
import io.playconnect.edge.spi.Listener;
import io.playconnect.edge.spi.ProtocolGateway;
import io.playconnect.engine.SyncEngine;
import io.playconnect.http.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * One in-process server for tests: in-memory broker and presence, engine, edge with HS256 JWT auth,
 * the shared HTTP server, and the MQTT gateway on a free port (and at /mqtt on the HTTP port), with
 * the broker offered for plain topics. Optionally the WebSocket gateway too, for cross-protocol tests.
 */
final class MqttFixture implements AutoCloseable {
    static final byte[] SECRET = "mqtt-gateway-test-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    static final List<String> ALL_SCOPES = List.of("subscribe", "publish", "presence");
    static final Map<String, List<String>> EVERYTHING = Map.of("*", ALL_SCOPES);
    private static final AtomicInteger NEXT_ROOM = new AtomicInteger();

    final InMemoryBroker broker;
    final InMemoryPresenceStore presence;
    /** The session store offered to the gateway (null: none, every session is clean). */
    final SessionStore sessionStore;
    private final boolean ownsSessionStore;
    private final EdgeLimits limits;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final SyncEngine engine;
    final Edge edge;
    final HttpServer http;
    final MqttGateway gateway = new MqttGateway();
    final List<Listener> listeners;
    final URI tcpUri;
    final String serverUri;
    private final List<ProtocolGateway> others = new ArrayList<>();
    URI wsGatewayUri;

    private MqttFixture(Builder b) {
        broker = InMemoryBroker.newBuilder().build();
        presence = InMemoryPresenceStore.newBuilder().build();
        limits = b.limits;
        ownsSessionStore = b.sessions && b.sessionStore == null;
        sessionStore = !b.sessions ? null : b.sessionStore != null ? b.sessionStore
                : InMemorySessionStore.newBuilder().build();
        engine = SyncEngine.newBuilder().broker(broker).partitions(4).build();
        engine.start().join();
        edge = Edge.newBuilder().broker(b.edgeBroker.apply(broker)).presenceStore(presence)
                .tokenVerifier(JwtTokenVerifier.newBuilder().hmacSecret(SECRET).build())
                .limits(b.limits).meterRegistry(registry).partitions(4).gatewayId("gw-mqtt-test")
                .build();
        edge.start().join();
        http = HttpServer.newBuilder().host("127.0.0.1").port(0).build();
        http.start().join();
        Map<String, String> options = new HashMap<>(b.options);
        if (b.anonymous) {
            options.put("mqtt-allow-anonymous", "true");
            options.put("mqtt-anonymous-token", token("anonymous", EVERYTHING));
        }
        GatewaySettings settings = GatewaySettings.newBuilder().host("127.0.0.1").port(0).options(options).build();
        GatewayContext.Builder context = GatewayContext.newBuilder().edge(edge).settings(settings)
                .meterRegistry(registry).extension(HttpServer.class, http);
        if (b.plainTopics) {
            context.extension(Broker.class, broker);
        }
        if (sessionStore != null) {
            context.extension(SessionStore.class, sessionStore);
        }
        listeners = gateway.start(context.build()).join();
        tcpUri = listeners.get(0).uri();
        serverUri = "tcp://" + tcpUri.getHost() + ":" + tcpUri.getPort();
        if (b.webSocketGateway) {
            startWebSocketGateway();
        }
    }

    private void startWebSocketGateway() {
        ProtocolGateway ws = new io.playconnect.gateway.websocket.WebSocketGateway();
        GatewayContext context = GatewayContext.newBuilder().edge(edge)
                .settings(GatewaySettings.newBuilder().host("127.0.0.1").port(-1).build())
                .meterRegistry(registry).extension(HttpServer.class, http).build();
        wsGatewayUri = ws.start(context).join().get(0).uri();
        others.add(ws);
    }

    static Builder newBuilder() {
        return new Builder();
    }

    /** A second gateway process in miniature: its own edge and MQTT gateway on the same broker and engine. */
    final class SecondGateway implements AutoCloseable {
        final Edge edge2;
        final MqttGateway gateway2 = new MqttGateway();
        final int port;

        SecondGateway(SessionStore store) {
            edge2 = Edge.newBuilder().broker(broker).presenceStore(presence)
                    .tokenVerifier(JwtTokenVerifier.newBuilder().hmacSecret(SECRET).build())
                    .limits(limits).meterRegistry(new SimpleMeterRegistry()).partitions(4).gatewayId("gw-mqtt-test-2")
                    .build();
            edge2.start().join();
            GatewayContext.Builder context = GatewayContext.newBuilder().edge(edge2)
                    .settings(GatewaySettings.newBuilder().host("127.0.0.1").port(0)
                            .options(Map.of("mqtt-websocket-path", "off")).build())
                    .meterRegistry(new SimpleMeterRegistry()).extension(Broker.class, broker);
            if (store != null) {
                context.extension(SessionStore.class, store);
            }
            port = gateway2.start(context.build()).join().get(0).uri().getPort();
        }

        @Override
        public void close() {
            gateway2.close();
            edge2.close();
        }
    }

    SecondGateway secondGateway(SessionStore store) {
        return new SecondGateway(store);
    }

    static MqttFixture start() {
        return newBuilder().build();
    }

    int port() {
        return tcpUri.getPort();
    }

    /** A fresh room number, so tests sharing a server never meet in a room. */
    static int nextRoom() {
        return NEXT_ROOM.incrementAndGet();
    }

    String token(String user, Map<String, List<String>> rooms) {
        return token(user, rooms, Instant.now().plus(Duration.ofHours(1)));
    }

    String token(String user) {
        return token(user, EVERYTHING);
    }

    static String token(String user, Map<String, List<String>> rooms, Instant expiresAt) {
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

    double counter(String name, String... tags) {
        Counter c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Override
    public void close() {
        gateway.close();
        others.forEach(ProtocolGateway::close);
        edge.close();
        http.stop().join();
        engine.close();
        presence.close();
        if (ownsSessionStore && sessionStore instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // best effort in tests
            }
        }
        broker.close();
    }

    /**
     * Base of a test class whose tests share one default server, each in rooms of its own
     * ({@link #nextRoom()}), so the class pays for one start.
     */
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class SharedServer {
        MqttFixture server;

        @BeforeAll
        void startServer() {
            server = MqttFixture.start();
        }

        @AfterAll
        void stopServer() {
            server.close();
        }
    }

    /** Fixture options; defaults suit tests: many connections from one address, an auth deadline a slow machine meets. */
    static final class Builder {
        private EdgeLimits limits = testLimits(UnaryOperator.identity());
        private Map<String, String> options = Map.of();
        private boolean anonymous;
        private boolean plainTopics = true;
        private boolean webSocketGateway;
        private boolean sessions = true;
        private SessionStore sessionStore;
        private java.util.function.Function<Broker, Broker> edgeBroker = java.util.function.Function.identity();

        static EdgeLimits testLimits(UnaryOperator<EdgeLimits.Builder> change) {
            return change.apply(EdgeLimits.newBuilder()
                    .connectionsPerSecondPerIp(10_000)
                    .maxConnectionsPerIp(10_000)
                    .messagesPerSecond(10_000)
                    .messageBurst(10_000)
                    // Generous: a TLS handshake and CONNECT on a loaded CI machine can take seconds.
                    .authDeadline(Duration.ofSeconds(15))).build();
        }

        Builder limits(UnaryOperator<EdgeLimits.Builder> change) {
            this.limits = testLimits(change);
            return this;
        }

        Builder options(Map<String, String> options) {
            this.options = options;
            return this;
        }

        Builder anonymous(boolean anonymous) {
            this.anonymous = anonymous;
            return this;
        }

        Builder plainTopics(boolean plainTopics) {
            this.plainTopics = plainTopics;
            return this;
        }

        /** Offer no session store (every session is clean). */
        Builder withoutSessions() {
            this.sessions = false;
            return this;
        }

        /** The session store to offer (default: an in-memory one of the fixture's own). */
        Builder sessionStore(SessionStore store) {
            this.sessionStore = store;
            return this;
        }

        Builder webSocketGateway(boolean on) {
            this.webSocketGateway = on;
            return this;
        }

        /** What the edge sees of the broker (the engine always uses the broker itself). */
        Builder edgeBroker(java.util.function.Function<Broker, Broker> wrap) {
            this.edgeBroker = wrap;
            return this;
        }

        MqttFixture build() {
            return new MqttFixture(this);
        }
    }
}
