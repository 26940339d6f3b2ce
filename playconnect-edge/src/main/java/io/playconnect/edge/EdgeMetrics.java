package io.playconnect.edge;

import io.micrometer.core.instrument.MeterRegistry;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The edge's meter names, in one place for dashboards and tests, and the per-protocol meters
 * ({@link ProtocolMeters}). Every meter carries the tag {@link #TAG_PROTOCOL}.
 */
public final class EdgeMetrics {
    public static final String TAG_PROTOCOL = "protocol";
    public static final String TAG_REASON = "reason";
    public static final String TAG_CODE = "code";
    public static final String TAG_OUTCOME = "outcome";

    /** Gauge: open sessions. */
    public static final String CONNECTIONS = "playconnect.edge.connections";
    public static final String SESSIONS_OPENED = "playconnect.edge.sessions.opened";
    /** Tagged {@link #TAG_REASON} with the error code's wire name. */
    public static final String SESSIONS_REFUSED = "playconnect.edge.sessions.refused";
    public static final String FRAMES_IN = "playconnect.edge.frames.in";
    public static final String FRAMES_OUT = "playconnect.edge.frames.out";
    public static final String BYTES_IN = "playconnect.edge.bytes.in";
    public static final String BYTES_OUT = "playconnect.edge.bytes.out";
    /** Events handed to a session's outbound queue; counted in bulk, one increment per event and protocol. */
    public static final String DELIVERIES = "playconnect.edge.deliveries";
    /** Encodings of an event for a protocol: equals the number of events, however many subscribers. */
    public static final String ENCODES = "playconnect.edge.encodes";
    /**
     * Timer: the record's commit timestamp to the moment its room hands it to the sessions' queues,
     * recorded once per event, room and protocol (a replayed event: once per session).
     */
    public static final String FANOUT_LATENCY = "playconnect.edge.fanout.latency";
    /** Joins with a position, tagged {@link #TAG_OUTCOME} {@link #OUTCOME_RECOVERED} or {@link #OUTCOME_SNAPSHOT}. */
    public static final String RESUMES = "playconnect.edge.resumes";
    /** Errors sent to clients, tagged {@link #TAG_CODE} with the wire name. */
    public static final String REJECTIONS = "playconnect.edge.rejections";
    public static final String SLOW_CONSUMER_DROPS = "playconnect.edge.slow_consumer.drops";
    /** Timer: a command from send to answer, tagged {@link #TAG_OUTCOME} accepted or the error code. */
    public static final String COMMANDS = "playconnect.edge.commands";

    public static final String OUTCOME_RECOVERED = "recovered";
    public static final String OUTCOME_SNAPSHOT = "snapshot";
    public static final String OUTCOME_ACCEPTED = "accepted";

    private final MeterRegistry registry;
    private final ConcurrentMap<String, ProtocolMeters> protocols = new ConcurrentHashMap<>();

    EdgeMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The meters of one protocol, created on first use. */
    public ProtocolMeters forProtocol(String protocol) {
        return protocols.computeIfAbsent(protocol, p -> new ProtocolMeters(registry, p));
    }
}
