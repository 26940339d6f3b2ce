package io.playconnect.gateway.grpc;

import io.playconnect.core.ErrorCode;
import io.playconnect.core.SyncException;
import io.playconnect.edge.Admission;
import io.playconnect.edge.Edge;
import io.playconnect.edge.EdgeSession;
import io.playconnect.edge.limits.EdgeLimits;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The edge sessions behind request/response calls, one per token and protocol: the first call with
 * a token opens (and authenticates) one, later calls reuse it, and it closes after an idle period
 * or when the edge closes it (token expiry, drain). Each counts as one connection for the edge's
 * admission control, and its rate limits apply to all calls with the token together. Its commands
 * to a room are sent to the engine up to {@code maxRequestCommandsInFlightPerRoom} at once
 * ({@link Edge#openRequestSession}), not one after the other as a client's are.
 */
final class ServiceSessions implements AutoCloseable {
    private final Edge edge;
    private final String protocol;
    private final long idleNanos;
    private final ScheduledExecutorService timer;
    private final Map<String, ServiceSession> byToken = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> sweeper;
    private volatile boolean closed;

    ServiceSessions(Edge edge, String protocol, Duration idle, ScheduledExecutorService timer) {
        this.edge = edge;
        this.protocol = protocol;
        this.idleNanos = idle.toNanos();
        this.timer = timer;
        long every = Math.max(50, idle.toMillis() / 2);
        this.sweeper = timer.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    EdgeLimits limits() {
        return edge.limits();
    }

    /**
     * The open session for the token, or a new one (authenticating in the background). Throws a
     * {@link SyncException} when the edge does not admit another connection.
     */
    ServiceSession acquire(String token, InetSocketAddress remote) {
        if (token == null) {
            throw new SyncException(ErrorCode.UNAUTHENTICATED, "send a service token: authorization: Bearer <JWT>");
        }
        while (true) {
            ServiceSession current = byToken.get(token);
            if (current != null && current.isOpen()) {
                return current;
            }
            ServiceSession fresh = open(token, remote);
            boolean stored = current == null ? byToken.putIfAbsent(token, fresh) == null
                    : byToken.replace(token, current, fresh);
            if (stored) {
                return fresh;
            }
            // Another call opened one at the same moment: use that one.
            fresh.closeQuietly();
        }
    }

    private ServiceSession open(String token, InetSocketAddress remote) {
        if (closed) {
            throw new SyncException(ErrorCode.UNAVAILABLE, "the gateway is stopping; retry elsewhere");
        }
        Admission admission = edge.admit(protocol, remote);
        if (!admission.accepted()) {
            throw new SyncException(admission.code(), admission.reason());
        }
        ServiceSession s = new ServiceSession(this, token);
        // A request session: the calls sharing it come from independent callers, so one call's
        // command to a room does not wait for another's answer (the edge's per-client order rule).
        EdgeSession edgeSession = edge.openRequestSession(admission, s);
        s.attach(edgeSession);
        return s;
    }

    void remove(ServiceSession s) {
        byToken.remove(s.token(), s);
    }

    /** Fails {@code answer} with {@link Statuses.DeadlinePassed} unless it completes within the time. */
    void expireAfter(CompletableFuture<?> answer, long timeoutNanos, String message) {
        try {
            ScheduledFuture<?> timeout = timer.schedule(
                    () -> answer.completeExceptionally(new Statuses.DeadlinePassed(message)),
                    Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS);
            answer.whenComplete((v, e) -> timeout.cancel(false));
        } catch (RejectedExecutionException e) {
            answer.completeExceptionally(new SyncException(ErrorCode.UNAVAILABLE, "the gateway is stopping"));
        }
    }

    /** Closes sessions nobody used for the idle period. */
    void sweep() {
        long cutoff = System.nanoTime() - idleNanos;
        byToken.values().forEach(s -> {
            if (s.idleSince(cutoff) && byToken.remove(s.token(), s)) {
                s.closeQuietly();
            }
        });
    }

    int size() {
        return byToken.size();
    }

    /** Calls waiting for an answer, over all sessions. */
    int waiting() {
        return byToken.values().stream().mapToInt(ServiceSession::waiting).sum();
    }

    @Override
    public void close() {
        closed = true;
        sweeper.cancel(false);
        byToken.values().forEach(ServiceSession::closeQuietly);
        byToken.clear();
    }
}
