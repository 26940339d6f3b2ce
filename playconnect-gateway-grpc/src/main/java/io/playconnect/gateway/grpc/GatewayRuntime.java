package io.playconnect.gateway.grpc;

import io.grpc.Deadline;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.SyncException;
import io.playconnect.edge.Edge;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** What the gateway's handlers share: the edge, the settings, the service sessions and snapshot reads. */
final class GatewayRuntime {
    /** Answers are awaited this much past the edge's command timeout before the call gives up. */
    private static final long ANSWER_SLACK_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Answer this much before the caller's deadline, so its typed DEADLINE_EXCEEDED arrives in time. */
    private static final long DEADLINE_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    final Edge edge;
    final GrpcConfig config;
    final ServiceSessions sessions;
    final Snapshots snapshots;
    volatile boolean accepting = true;

    GatewayRuntime(Edge edge, GrpcConfig config, ServiceSessions sessions, Snapshots snapshots) {
        this.edge = edge;
        this.config = config;
        this.sessions = sessions;
        this.snapshots = snapshots;
    }

    /** Throws UNAVAILABLE once the gateway drains. */
    void checkAccepting() {
        if (!accepting) {
            throw new SyncException(ErrorCode.UNAVAILABLE, "this server is draining; reconnect elsewhere");
        }
    }

    /**
     * How long to wait for an answer: the edge's command timeout (plus a little for the answer to
     * arrive), cut short by the call's deadline when it has one (a little before it, so that the
     * caller gets the server's typed answer rather than only its own timer's). Throws {@link Statuses.DeadlinePassed}
     * when the deadline has already passed, before anything is sent.
     */
    long answerTimeoutNanos(Deadline deadline) {
        long edgeBound = edge.limits().commandTimeout().toNanos() + ANSWER_SLACK_NANOS;
        if (deadline == null) {
            return edgeBound;
        }
        long left = deadline.timeRemaining(TimeUnit.NANOSECONDS);
        if (left <= 0) {
            throw new Statuses.DeadlinePassed("the call's deadline passed before the request was handled;"
                    + " nothing was sent");
        }
        return Math.min(edgeBound, left - Math.min(DEADLINE_MARGIN_NANOS, left / 10));
    }

    Duration answerTimeout(Deadline deadline) {
        return Duration.ofNanos(answerTimeoutNanos(deadline));
    }
}
