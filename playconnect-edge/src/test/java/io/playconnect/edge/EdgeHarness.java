package io.playconnect.edge;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.playconnect.broker.memory.InMemoryBroker;
import io.playconnect.broker.memory.InMemoryPresenceStore;
import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.PresenceStore;
import io.playconnect.core.spi.RoomLogConfig;
import io.playconnect.edge.auth.JwtTokenVerifier;
import io.playconnect.edge.limits.EdgeLimits;
import io.playconnect.engine.SyncEngine;
import org.awaitility.Awaitility;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** A real in-process broker, presence store, engine (optional, startable later) and edge. */
public final class EdgeHarness implements AutoCloseable {
    public static final byte[] SECRET = "edge-test-secret-0123456789abcdef0123".getBytes(StandardCharsets.UTF_8);
    public static final int PARTITIONS = 4;
    public static final Map<String, List<String>> ALL = Map.of("*", List.of("subscribe", "publish", "presence"));

    static {
        // Conditions here flip within milliseconds; the default 100 ms poll would only add waiting.
        Awaitility.setDefaultPollDelay(Duration.ZERO);
        Awaitility.setDefaultPollInterval(Duration.ofMillis(5));
    }

    public final InMemoryBroker broker;
    public final InMemoryPresenceStore presence;
    public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    public final Edge edge;
    public final Clock clock;
    private SyncEngine engine;

    private EdgeHarness(Builder b) {
        this.clock = b.clock;
        this.broker = InMemoryBroker.newBuilder().roomLogConfig(b.roomLog).build();
        this.presence = InMemoryPresenceStore.newBuilder().build();
        Broker edgeBroker = b.brokerView.apply(broker);
        PresenceStore edgePresence = b.presenceView.apply(presence);
        Edge.Builder eb = Edge.newBuilder().broker(edgeBroker).presenceStore(edgePresence)
                .tokenVerifier(JwtTokenVerifier.newBuilder().hmacSecret(SECRET).clock(b.clock).build())
                .limits(b.limits).meterRegistry(registry).clock(b.clock).gatewayId("gw-test")
                .presenceHeartbeat(b.heartbeat);
        if (b.partitions != null) {
            eb.partitions(b.partitions);
        }
        this.edge = eb.build();
        edge.start().join();
        if (b.engine) {
            startEngine();
        }
    }

    public static Builder newBuilder() {
        return new Builder();
    }

    public static EdgeHarness create() {
        return newBuilder().build();
    }

    public synchronized void startEngine() {
        if (engine == null) {
            engine = SyncEngine.newBuilder().broker(broker).partitions(PARTITIONS).build();
            engine.start().join();
        }
    }

    public String token(String user, Map<String, List<String>> rooms, Instant exp) {
        try {
            JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(user).issueTime(Date.from(clock.instant()))
                    .expirationTime(Date.from(exp)).claim("rooms", rooms).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(SECRET));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public String token(String user, Map<String, List<String>> rooms) {
        return token(user, rooms, clock.instant().plus(Duration.ofHours(1)));
    }

    /** An open session, not yet authenticated. */
    public Client open(String protocol) {
        return open(protocol, new RecordingOutput());
    }

    /** An open session with this output, not yet authenticated. */
    public Client open(String protocol, RecordingOutput out) {
        Admission a = edge.admit(protocol, null);
        if (!a.accepted()) {
            throw new IllegalStateException("refused: " + a.reason());
        }
        return new Client(edge.openSession(a, out), out);
    }

    /** An authenticated session. */
    public Client connect(String user, Map<String, List<String>> rooms) {
        return connect(user, "websocket", rooms);
    }

    public Client connect(String user, String protocol, Map<String, List<String>> rooms) {
        return connect(user, protocol, rooms, new RecordingOutput());
    }

    /** An authenticated session whose calls go to {@code out}. */
    public Client connect(String user, String protocol, Map<String, List<String>> rooms, RecordingOutput out) {
        Client c = open(protocol, out);
        c.session().authenticate(token(user, rooms)).join();
        return c;
    }

    public double counter(String name, String... tags) {
        var c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Override
    public void close() {
        edge.close();
        if (engine != null) {
            engine.close();
        }
        presence.close();
        broker.close();
    }

    public record Client(EdgeSession session, RecordingOutput out) {
    }

    /** Harness options. */
    public static final class Builder {
        private EdgeLimits limits = EdgeLimits.defaults();
        private RoomLogConfig roomLog = RoomLogConfig.defaults();
        private boolean engine = true;
        private Clock clock = Clock.systemUTC();
        private Integer partitions;
        private Duration heartbeat = Duration.ofSeconds(5);
        private Function<Broker, Broker> brokerView = Function.identity();
        private Function<PresenceStore, PresenceStore> presenceView = Function.identity();

        public Builder limits(UnaryOperator<EdgeLimits.Builder> change) {
            this.limits = change.apply(EdgeLimits.newBuilder()).build();
            return this;
        }

        public Builder roomLog(RoomLogConfig config) {
            this.roomLog = config;
            return this;
        }

        public Builder engine(boolean start) {
            this.engine = start;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder partitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        public Builder heartbeat(Duration interval) {
            this.heartbeat = interval;
            return this;
        }

        /** What the edge sees of the broker (e.g. a lossy view); the engine always gets the real one. */
        public Builder brokerView(Function<Broker, Broker> view) {
            this.brokerView = view;
            return this;
        }

        public Builder presenceView(Function<PresenceStore, PresenceStore> view) {
            this.presenceView = view;
            return this;
        }

        public EdgeHarness build() {
            return new EdgeHarness(this);
        }
    }
}
