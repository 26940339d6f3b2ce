package io.playconnect.edge;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.PresenceStore;
import io.playconnect.core.trace.Tracing;
import io.playconnect.edge.auth.TokenVerifier;
import io.playconnect.edge.limits.AdmissionControl;
import io.playconnect.edge.limits.EdgeLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every protocol gateway of a process shares: admission, sessions, auth, rate limits, room
 * fan-out with resume, the slow-consumer policy, presence and metrics. Built once per process;
 * gateways {@link #admit} a connection, then {@link #openSession} it with their
 * {@link SessionOutput}. Talks to the engines only over the {@link Broker}.
 */
public final class Edge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Edge.class);
    private static final int ENVELOPE_HEADROOM = 4096;
    private static final long SWEEP_SECONDS = 10;
    private static final long DRAIN_POLL_MILLIS = 20;
    private static final long CLOSE_WAIT_SECONDS = 2;
    private static final long DRAIN_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final EdgeRuntime rt;
    private final AdmissionControl admissionControl;
    private final Set<EdgeSession> sessions = ConcurrentHashMap.newKeySet();
    private final Duration presenceHeartbeat;
    private final ExecutorService ownedPool;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile ScheduledFuture<?> heartbeat;
    private volatile ScheduledFuture<?> sweep;

    private Edge(Builder b) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(threads("playconnect-edge-timer"));
        this.ownedPool = Executors.newFixedThreadPool(b.threads, threads("playconnect-edge"));
        this.rt = new EdgeRuntime(b.broker, b.presenceStore, b.tokenVerifier, b.limits,
                new EdgeMetrics(b.meterRegistry), timer, ownedPool, b.gatewayId, b.clock, b.partitions, b.tracing);
        this.admissionControl = new AdmissionControl(b.limits, b.clock);
        this.presenceHeartbeat = b.presenceHeartbeat;
    }

    public static Builder newBuilder() {
        return new Builder();
    }

    /** Starts timers (presence heartbeat, housekeeping) and the lookup of the partition count. */
    public CompletableFuture<Void> start() {
        if (started.compareAndSet(false, true)) {
            rt.engine.start();
            long beat = presenceHeartbeat.toMillis();
            heartbeat = rt.timer.scheduleAtFixedRate(this::heartbeat, 0, beat, TimeUnit.MILLISECONDS);
            sweep = rt.timer.scheduleAtFixedRate(admissionControl::sweep, SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
        }
        return CompletableFuture.completedFuture(null);
    }

    private void heartbeat() {
        rt.presence.heartbeat(rt.gatewayId).whenComplete((v, err) -> {
            if (err != null) {
                LOG.warn("presence heartbeat of {} failed", rt.gatewayId, err);
            }
        });
    }

    /**
     * Asks whether a new connection may open. An accepted admission holds a connection slot until
     * the session closes or {@link Admission#release()}.
     *
     * @param remote the client's address, or null when unknown (then only the global cap applies)
     */
    public Admission admit(String protocol, InetSocketAddress remote) {
        Objects.requireNonNull(protocol, "protocol");
        ProtocolMeters meters = rt.metrics.forProtocol(protocol);
        if (closed.get() || rt.draining) {
            meters.refused(ErrorCode.OVERLOADED);
            return new Admission(this, protocol, remote, null, ErrorCode.OVERLOADED, "server is draining");
        }
        AdmissionControl.Slot slot = admissionControl.tryAdmit(remote == null ? null : remote.getAddress());
        if (!slot.granted()) {
            meters.refused(slot.code());
            return new Admission(this, protocol, remote, null, slot.code(), slot.reason());
        }
        return new Admission(this, protocol, remote, slot, null, null);
    }

    /** Opens the session of an accepted admission; it must authenticate within the auth deadline. */
    public EdgeSession openSession(Admission admission, SessionOutput output) {
        return open(admission, output, 1);
    }

    /**
     * Opens a session for request/response calls of many independent callers (gRPC unary calls,
     * the HTTP API), each waiting for its own answer: as {@link #openSession}, except that up to
     * {@link EdgeLimits#maxRequestCommandsInFlightPerRoom()} of its commands to a room go to the
     * engine at once instead of one after the other. The engine still orders them by arrival, and
     * de-duplicates by correlationId; only the order between calls that overlap is not kept.
     */
    public EdgeSession openRequestSession(Admission admission, SessionOutput output) {
        return open(admission, output, rt.limits.maxRequestCommandsInFlightPerRoom());
    }

    private EdgeSession open(Admission admission, SessionOutput output, int commandWindow) {
        Objects.requireNonNull(admission, "admission");
        Objects.requireNonNull(output, "output");
        if (!admission.belongsTo(this) || !admission.accepted() || !admission.claim()) {
            throw new IllegalStateException("admission is refused, already used or from another edge");
        }
        EdgeSession session = new EdgeSession(rt, this, admission, output, commandWindow);
        sessions.add(session);
        rt.metrics.forProtocol(admission.protocol()).connectionOpened();
        if (closed.get()) {
            session.close(new CloseReason(CloseReason.Kind.GOING_AWAY, "server is shutting down"));
        } else {
            session.scheduleAuthDeadline();
        }
        return session;
    }

    void sessionClosed(EdgeSession session) {
        sessions.remove(session);
    }

    /** The meters of one protocol, for frames outside a session. */
    public ProtocolMeters meters(String protocol) {
        return rt.metrics.forProtocol(protocol);
    }

    public EdgeMetrics metrics() {
        return rt.metrics;
    }

    public EdgeLimits limits() {
        return rt.limits;
    }

    public String gatewayId() {
        return rt.gatewayId;
    }

    public int sessionCount() {
        return sessions.size();
    }

    /** Rooms with at least one local subscriber (one broker subscription each). */
    public int openRooms() {
        return rt.fanout.openRooms();
    }

    /** Test hook: the shared state of this edge's sessions and rooms. */
    EdgeRuntime runtime() {
        return rt;
    }

    /**
     * Stops admitting, refuses new commands (UNAVAILABLE), waits for commands in flight (at most
     * the command timeout and a second) and their answers, then closes every session with
     * {@link CloseReason.Kind#GOING_AWAY}.
     */
    public CompletableFuture<Void> drain() {
        rt.draining = true;
        CompletableFuture<Void> done = new CompletableFuture<>();
        // Commands sent just before the drain end up to a command timeout from now, plus their answer's way back.
        long deadline = System.nanoTime() + rt.limits.commandTimeout().toNanos() + DRAIN_GRACE_NANOS;
        waitForCommands(deadline, done);
        return done;
    }

    private void waitForCommands(long deadline, CompletableFuture<Void> done) {
        if (rt.commandsInFlight.get() == 0 || System.nanoTime() >= deadline || closed.get()) {
            closeSessions("server is draining; reconnect elsewhere");
            done.complete(null);
            return;
        }
        try {
            rt.timer.schedule(() -> waitForCommands(deadline, done), DRAIN_POLL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            done.complete(null);
        }
    }

    private void closeSessions(String text) {
        CloseReason reason = new CloseReason(CloseReason.Kind.GOING_AWAY, text);
        List.copyOf(sessions).forEach(s -> s.close(reason));
    }

    /**
     * Closes every session (GOING_AWAY), the rooms' subscriptions and the edge's threads, waiting a
     * moment for the last closes to reach the gateways. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        rt.draining = true;
        closeSessions("server is shutting down");
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        if (sweep != null) {
            sweep.cancel(false);
        }
        rt.fanout.closeAll();
        rt.engine.close();
        rt.timer.shutdownNow();
        // Queued tasks (the closes just requested) still run; nothing new is accepted.
        ownedPool.shutdown();
        try {
            if (!ownedPool.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("edge workers still busy after {} s; stopping them", CLOSE_WAIT_SECONDS);
                ownedPool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ownedPool.shutdownNow();
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Builder; broker, presenceStore and tokenVerifier are required. */
    public static final class Builder {
        private Broker broker;
        private PresenceStore presenceStore;
        private TokenVerifier tokenVerifier;
        private EdgeLimits limits = EdgeLimits.defaults();
        private MeterRegistry meterRegistry;
        private String gatewayId = "gw-" + UUID.randomUUID().toString().substring(0, 8);
        private Clock clock = Clock.systemUTC();
        private Integer partitions;
        private Duration presenceHeartbeat = Duration.ofSeconds(5);
        private int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        private Tracing tracing = Tracing.noop();

        private Builder() {
        }

        /**
         * Spans for received commands, their broker requests and deliveries; {@link Tracing#noop()}
         * (off) by default, which makes no span objects at all.
         */
        public Builder tracing(Tracing tracing) {
            this.tracing = Objects.requireNonNull(tracing, "tracing");
            return this;
        }

        public Builder broker(Broker broker) {
            this.broker = Objects.requireNonNull(broker, "broker");
            return this;
        }

        public Builder presenceStore(PresenceStore presenceStore) {
            this.presenceStore = Objects.requireNonNull(presenceStore, "presenceStore");
            return this;
        }

        public Builder tokenVerifier(TokenVerifier tokenVerifier) {
            this.tokenVerifier = Objects.requireNonNull(tokenVerifier, "tokenVerifier");
            return this;
        }

        public Builder limits(EdgeLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
            return this;
        }

        /** This process's id in presence entries and heartbeats. */
        public Builder gatewayId(String gatewayId) {
            Objects.requireNonNull(gatewayId, "gatewayId");
            if (!gatewayId.matches("[A-Za-z0-9_-]{1,64}")) {
                throw new IllegalArgumentException("gatewayId must match [A-Za-z0-9_-]{1,64}: " + gatewayId);
            }
            this.gatewayId = gatewayId;
            return this;
        }

        /** Drives rate-limit buckets and token expiry. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The partition count, when known; otherwise it is read from the broker once an engine recorded it. */
        public Builder partitions(int partitions) {
            if (partitions < 1 || partitions > 4096) {
                throw new IllegalArgumentException("partitions must be in 1..4096: " + partitions);
            }
            this.partitions = partitions;
            return this;
        }

        public Builder presenceHeartbeat(Duration interval) {
            Objects.requireNonNull(interval, "presenceHeartbeat");
            if (interval.toMillis() < 10) {
                throw new IllegalArgumentException("presenceHeartbeat must be at least 10 ms: " + interval);
            }
            this.presenceHeartbeat = interval;
            return this;
        }

        /** Worker threads for fan-out and sessions; default the number of cores (at least 2). */
        public Builder threads(int threads) {
            if (threads < 1 || threads > 256) {
                throw new IllegalArgumentException("threads must be in 1..256: " + threads);
            }
            this.threads = threads;
            return this;
        }

        public Edge build() {
            if (broker == null) {
                throw new IllegalArgumentException("broker is required");
            }
            if (presenceStore == null) {
                throw new IllegalArgumentException("presenceStore is required");
            }
            if (tokenVerifier == null) {
                throw new IllegalArgumentException("tokenVerifier is required");
            }
            if ((long) limits.maxPayloadBytes() + ENVELOPE_HEADROOM > broker.maxMessageSize()) {
                throw new IllegalArgumentException("limits.maxPayloadBytes (" + limits.maxPayloadBytes()
                        + ") must be at least " + ENVELOPE_HEADROOM + " bytes below the broker's maximum message size ("
                        + broker.maxMessageSize() + ")");
            }
            if (meterRegistry == null) {
                meterRegistry = new SimpleMeterRegistry();
            }
            return new Edge(this);
        }
    }
}
