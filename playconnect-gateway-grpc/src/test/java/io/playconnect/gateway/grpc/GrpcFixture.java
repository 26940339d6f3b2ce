package io.playconnect.gateway.grpc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.playconnect.broker.memory.InMemoryBroker;
import io.playconnect.broker.memory.InMemoryPresenceStore;
import io.playconnect.core.RoomId;
import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.LogRecord;
import io.playconnect.edge.Edge;
import io.playconnect.edge.auth.JwtTokenVerifier;
import io.playconnect.edge.limits.EdgeLimits;
import io.playconnect.edge.spi.GatewayContext;
import io.playconnect.edge.spi.GatewaySettings;
import io.playconnect.edge.spi.Listener;
import io.playconnect.engine.SyncEngine;
import io.playconnect.gateway.websocket.WebSocketGateway;
import io.playconnect.http.HttpServer;
import io.playconnect.proto.v1.SyncServiceGrpc;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * One in-process server for tests: in-memory broker and presence, the engine (unless left out),
 * the edge with HS256 JWT auth, the shared HTTP server with the WebSocket gateway on it, and the
 * gRPC gateway on a free port with the HTTP API mounted.
 */
final class GrpcFixture implements AutoCloseable {
    static final byte[] SECRET = "grpc-gateway-test-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    static final List<String> ALL_SCOPES = List.of("subscribe", "publish", "presence");
    static final Map<String, List<String>> EVERYTHING = Map.of("*", ALL_SCOPES);
    private static final AtomicInteger NEXT_ROOM = new AtomicInteger();

    final InMemoryBroker broker;
    final InMemoryPresenceStore presence;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final SyncEngine engine;
    final Edge edge;
    final HttpServer http;
    final GrpcGateway gateway = new GrpcGateway();
    final WebSocketGateway ws = new WebSocketGateway();
    final List<Listener> listeners;
    final URI grpcUri;
    final URI wsUri;
    final URI httpUri;
    private final List<ManagedChannel> channels = new java.util.concurrent.CopyOnWriteArrayList<>();

    private GrpcFixture(Builder b) {
        broker = InMemoryBroker.newBuilder().build();
        presence = InMemoryPresenceStore.newBuilder().build();
        engine = b.engine ? SyncEngine.newBuilder().broker(broker).partitions(4).build() : null;
        if (engine != null) {
            engine.start().join();
        }
        edge = Edge.newBuilder().broker(b.edgeBroker.apply(broker)).presenceStore(presence)
                .tokenVerifier(JwtTokenVerifier.newBuilder().hmacSecret(SECRET).build())
                .limits(b.limits).meterRegistry(registry).partitions(4).gatewayId("gw-grpc-test").build();
        edge.start().join();
        http = HttpServer.newBuilder().host("127.0.0.1").port(0).build();
        http.start().join();
        httpUri = URI.create("http://127.0.0.1:" + http.boundAddress().getPort());
        wsUri = ws.start(GatewayContext.newBuilder().edge(edge)
                .settings(GatewaySettings.newBuilder().host("127.0.0.1").port(-1).build())
                .meterRegistry(registry).extension(HttpServer.class, http).build()).join().get(0).uri();
        GatewaySettings settings = GatewaySettings.newBuilder().host("127.0.0.1").port(0).options(b.options).build();
        listeners = gateway.start(GatewayContext.newBuilder().edge(edge).settings(settings).meterRegistry(registry)
                .extension(HttpServer.class, http).extension(Broker.class, broker).build()).join();
        grpcUri = listeners.get(0).uri();
    }

    static Builder newBuilder() {
        return new Builder();
    }

    static GrpcFixture start() {
        return newBuilder().build();
    }

    int grpcPort() {
        return grpcUri.getPort();
    }

    /** A fresh room number, so tests sharing a server never meet in a room. */
    static int nextRoom() {
        return NEXT_ROOM.incrementAndGet();
    }

    /** A plaintext channel to the gRPC port, closed with the fixture. */
    ManagedChannel channel() {
        ManagedChannel c = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort()).usePlaintext().build();
        channels.add(c);
        return c;
    }

    SyncServiceGrpc.SyncServiceStub stub(String token) {
        return SyncServiceGrpc.newStub(channel()).withCallCredentials(bearer(token));
    }

    SyncServiceGrpc.SyncServiceBlockingStub blocking(String token) {
        return SyncServiceGrpc.newBlockingStub(channel()).withCallCredentials(bearer(token))
                .withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    static CallCredentials bearer(String token) {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                Metadata m = new Metadata();
                if (token != null) {
                    m.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
                }
                applier.apply(m);
            }
        };
    }

    String token(String user) {
        return token(user, EVERYTHING);
    }

    String token(String user, Map<String, List<String>> rooms) {
        return token(user, rooms, Instant.now().plus(Duration.ofHours(1)));
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

    /** The records stored in the room's log (empty when there is no log yet). */
    List<LogRecord> stored(RoomId room) {
        return broker.roomLog().read(room, 1, 10_000).exceptionally(e -> List.of()).join();
    }

    double counter(String name, String... tags) {
        Counter c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdownNow);
        gateway.close();
        ws.close();
        edge.close();
        http.stop().join();
        if (engine != null) {
            engine.close();
        }
        presence.close();
        broker.close();
    }

    /** Fixture options; defaults suit tests: many connections from one address, generous rates. */
    static final class Builder {
        private EdgeLimits limits = testLimits(UnaryOperator.identity());
        private Map<String, String> options = Map.of();
        private boolean engine = true;
        private UnaryOperator<Broker> edgeBroker = UnaryOperator.identity();

        static EdgeLimits testLimits(UnaryOperator<EdgeLimits.Builder> change) {
            return change.apply(EdgeLimits.newBuilder()
                    .connectionsPerSecondPerIp(10_000)
                    .maxConnectionsPerIp(10_000)
                    .messagesPerSecond(10_000)
                    .messageBurst(10_000)
                    .authDeadline(Duration.ofSeconds(2))).build();
        }

        Builder limits(UnaryOperator<EdgeLimits.Builder> change) {
            this.limits = testLimits(change);
            return this;
        }

        Builder options(Map<String, String> options) {
            this.options = options;
            return this;
        }

        /** What the edge talks to instead of the broker itself, e.g. a {@link HeldBroker} around it. */
        Builder edgeBroker(UnaryOperator<Broker> wrap) {
            this.edgeBroker = wrap;
            return this;
        }

        /** Without an engine: commands find no owner (NO_OWNER retries until the deadline). */
        Builder withoutEngine() {
            this.engine = false;
            return this;
        }

        GrpcFixture build() {
            return new GrpcFixture(this);
        }
    }
}
