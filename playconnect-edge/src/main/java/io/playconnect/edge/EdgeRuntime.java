package io.playconnect.edge;

import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.PresenceStore;
import io.playconnect.core.spi.RoomLog;
import io.playconnect.core.trace.Tracing;
import io.playconnect.edge.auth.TokenVerifier;
import io.playconnect.edge.limits.EdgeLimits;

import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/** What the parts of one {@link Edge} share; built once by the edge. */
final class EdgeRuntime {
    private static final org.slf4j.Logger EDGE_LOG = org.slf4j.LoggerFactory.getLogger("io.playconnect.edge");

    final Broker broker;
    final RoomLog log;
    final PresenceStore presence;
    final TokenVerifier verifier;
    final EdgeLimits limits;
    final EdgeMetrics metrics;
    final ScheduledExecutorService timer;
    final Executor pool;
    final String gatewayId;
    final Clock clock;
    final EngineCalls engine;
    final Tracing tracing;
    final RoomFanout fanout;
    final AtomicInteger commandsInFlight = new AtomicInteger();
    volatile boolean draining;

    EdgeRuntime(Broker broker, PresenceStore presence, TokenVerifier verifier, EdgeLimits limits,
                EdgeMetrics metrics, ScheduledExecutorService timer, Executor pool, String gatewayId,
                Clock clock, Integer partitions, Tracing tracing) {
        this.broker = broker;
        this.log = broker.roomLog();
        this.presence = presence;
        this.verifier = verifier;
        this.limits = limits;
        this.metrics = metrics;
        this.timer = timer;
        this.pool = pool;
        this.gatewayId = gatewayId;
        this.clock = clock;
        this.tracing = tracing;
        this.engine = new EngineCalls(broker, timer, partitions);
        this.fanout = new RoomFanout(this);
    }

    /**
     * Whether hot paths set the logging MDC around a message: each put allocates, so only while
     * tracing or DEBUG logging (of {@code io.playconnect.edge}) is on.
     */
    boolean labelsLogs() {
        return tracing.enabled() || EDGE_LOG.isDebugEnabled();
    }

    /** Replays and buffers hold at most this many records per joining session. */
    int catchUpWindow() {
        return Math.max(1, Math.min(256, limits.outboundQueueMessages() / 4));
    }
}
