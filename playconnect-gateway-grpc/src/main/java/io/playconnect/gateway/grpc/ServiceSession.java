package io.playconnect.gateway.grpc;

import io.playconnect.core.ErrorCode;
import io.playconnect.core.RoomId;
import io.playconnect.core.SyncException;
import io.playconnect.core.spi.Member;
import io.playconnect.edge.CloseReason;
import io.playconnect.edge.EdgeError;
import io.playconnect.edge.EdgeSession;
import io.playconnect.edge.PresenceUpdate;
import io.playconnect.edge.SessionOutput;
import io.playconnect.edge.auth.Principal;
import io.playconnect.edge.auth.Scope;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One edge session shared by the request/response calls (gRPC unary, HTTP API) made with one
 * token: the edge's rate limits, scopes and idempotency apply to them as to any connection. Calls
 * that overlap are not ordered against each other (a request session: their commands to a room
 * are in flight together); a caller that waits for each answer still has its calls in order.
 * Answers come back through {@link SessionOutput} and are matched to the waiting calls by room and
 * correlation id (publish, in whatever order they arrive) or by room (presence), first come first
 * served.
 */
final class ServiceSession implements SessionOutput {
    /** A stored command. */
    record Ack(String correlationId, RoomId room, String epoch, long seq) {
    }

    private final ServiceSessions owner;
    private final String token;
    private final Map<String, Queue<CompletableFuture<Ack>>> commands = new ConcurrentHashMap<>();
    private final Map<RoomId, Queue<CompletableFuture<List<Member>>>> presence = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile EdgeSession session;
    private volatile CompletableFuture<Principal> auth;
    private volatile SyncException closedWith;
    private volatile long lastUsedNanos = System.nanoTime();

    ServiceSession(ServiceSessions owner, String token) {
        this.owner = owner;
        this.token = token;
    }

    /** Binds the edge session and starts authenticating with the token. */
    void attach(EdgeSession edgeSession) {
        this.session = edgeSession;
        this.auth = edgeSession.authenticate(token);
    }

    String token() {
        return token;
    }

    boolean isOpen() {
        EdgeSession s = session;
        return closedWith == null && s != null && s.isOpen();
    }

    boolean idleSince(long nanos) {
        return inFlight.get() == 0 && lastUsedNanos - nanos < 0;
    }

    int waiting() {
        return inFlight.get();
    }

    /** The principal once the token is accepted; fails with the edge's typed error otherwise. */
    CompletableFuture<Principal> ready() {
        lastUsedNanos = System.nanoTime();
        return auth;
    }

    /** Charges one request of {@code bytes} to the session's rate limits. */
    void charge(int bytes) {
        if (!session.inboundMessage(bytes)) {
            throw new SyncException(ErrorCode.RATE_LIMITED, "over " + owner.limits().messagesPerSecond()
                    + " requests/s or " + owner.limits().bytesPerSecond() + " bytes/s for this token; retry later");
        }
    }

    /**
     * Publishes through the edge; completes with the ack or fails with the typed error, or with
     * {@link Statuses.DeadlinePassed} after {@code timeoutNanos}.
     */
    CompletableFuture<Ack> publish(RoomId room, String type, byte[] payload, String correlationIdOrNull,
                                   String traceparent, long timeoutNanos) {
        String correlationId = correlationIdOrNull != null ? correlationIdOrNull : UUID.randomUUID().toString();
        CompletableFuture<Ack> answer = track(new CompletableFuture<>(), timeoutNanos,
                "no answer for " + correlationId + " in time; retry with the same correlationId");
        offer(commands, key(room, correlationId), answer);
        failIfClosed(answer);
        session.publish(room, type, payload, correlationId, traceparent);
        return answer;
    }

    /** The room's members; needs the presence scope. */
    CompletableFuture<List<Member>> presence(RoomId room, long timeoutNanos) {
        Principal p = auth.getNow(null);
        if (p != null && !p.can(Scope.PRESENCE, room)) {
            return CompletableFuture.failedFuture(new SyncException(ErrorCode.FORBIDDEN, "no presence scope for " + room));
        }
        CompletableFuture<List<Member>> answer = track(new CompletableFuture<>(), timeoutNanos,
                "no presence answer in time");
        offer(presence, room, answer);
        failIfClosed(answer);
        session.presence(room);
        return answer;
    }

    private <T> CompletableFuture<T> track(CompletableFuture<T> answer, long timeoutNanos, String timeoutMessage) {
        inFlight.incrementAndGet();
        owner.expireAfter(answer, timeoutNanos, timeoutMessage);
        answer.whenComplete((v, e) -> {
            lastUsedNanos = System.nanoTime();
            inFlight.decrementAndGet();
        });
        return answer;
    }

    private void failIfClosed(CompletableFuture<?> answer) {
        SyncException closed = closedWith;
        if (closed != null || !session.isOpen()) {
            answer.completeExceptionally(closed != null ? closed
                    : new SyncException(ErrorCode.UNAVAILABLE, "the session closed; retry"));
        }
    }

    /** Closes the edge session without telling anyone (idle, or the gateway stops). */
    void closeQuietly() {
        EdgeSession s = session;
        if (s != null) {
            s.close();
        }
        fail(new SyncException(ErrorCode.UNAVAILABLE, "the session closed; retry"));
    }

    // ------------------------------------------------------------------ SessionOutput (edge threads)

    /**
     * Called on the thread that queues the answer (the session's executor, as the engine's answer
     * comes in), not on the edge's pool: answering only completes the waiting call's future, which
     * never blocks. This saves a hand-off per answer, and answers can no longer pile up behind a
     * busy pool: with many unary calls in flight, a backlog over the slow-consumer limit (1,024)
     * closed the session and failed every call on it with UNAVAILABLE.
     */
    @Override
    public Executor executor() {
        return Runnable::run;
    }

    @Override
    public void ack(String correlationId, RoomId room, String epoch, long seq) {
        CompletableFuture<Ack> waiting = poll(commands, key(room, correlationId));
        if (waiting != null) {
            waiting.complete(new Ack(correlationId, room, epoch, seq));
        }
    }

    @Override
    public void error(EdgeError error) {
        CompletableFuture<?> waiting = null;
        if (error.correlationId() != null && error.room() != null) {
            waiting = poll(commands, key(error.room(), error.correlationId()));
        } else if (error.room() != null) {
            waiting = poll(presence, error.room());
        }
        if (waiting != null) {
            waiting.completeExceptionally(new SyncException(error.code(), error.message()));
        }
    }

    @Override
    public void presence(RoomId room, PresenceUpdate update) {
        if (update instanceof PresenceUpdate.Members m) {
            CompletableFuture<List<Member>> waiting = poll(presence, room);
            if (waiting != null) {
                waiting.complete(m.members());
            }
        }
    }

    @Override
    public void close(CloseReason reason) {
        fail(new SyncException(codeOf(reason), reason.text()));
    }

    private void fail(SyncException why) {
        if (closedWith == null) {
            closedWith = why;
        }
        owner.remove(this);
        failAll(commands, why);
        failAll(presence, why);
    }

    private static <K, T> void failAll(Map<K, Queue<CompletableFuture<T>>> waiting, SyncException why) {
        for (K key : waiting.keySet()) {
            CompletableFuture<T> f;
            while ((f = poll(waiting, key)) != null) {
                f.completeExceptionally(why);
            }
        }
    }

    private static ErrorCode codeOf(CloseReason reason) {
        return switch (reason.kind()) {
            case UNAUTHENTICATED -> ErrorCode.UNAUTHENTICATED;
            case TOKEN_EXPIRED -> ErrorCode.TOKEN_EXPIRED;
            case POLICY -> ErrorCode.RATE_LIMITED;
            case OVERLOADED, SLOW_CONSUMER -> ErrorCode.OVERLOADED;
            case INTERNAL -> ErrorCode.INTERNAL;
            case KICKED -> ErrorCode.FORBIDDEN;
            case GOING_AWAY -> ErrorCode.UNAVAILABLE;
        };
    }

    // The queues are only touched inside the map's atomic compute calls, so a call queued while the
    // last answer for its key is taken is never lost, and empty queues never linger.
    private static <K, T> void offer(Map<K, Queue<CompletableFuture<T>>> waiting, K key, CompletableFuture<T> f) {
        waiting.compute(key, (k, q) -> {
            Queue<CompletableFuture<T>> queue = q != null ? q : new ArrayDeque<>(2);
            queue.add(f);
            return queue;
        });
    }

    /** The oldest waiting call for the key, or null. */
    private static <K, T> CompletableFuture<T> poll(Map<K, Queue<CompletableFuture<T>>> waiting, K key) {
        List<CompletableFuture<T>> taken = new ArrayList<>(1);
        waiting.computeIfPresent(key, (k, q) -> {
            CompletableFuture<T> f = q.poll();
            if (f != null) {
                taken.add(f);
            }
            return q.isEmpty() ? null : q;
        });
        return taken.isEmpty() ? null : taken.get(0);
    }

    private static String key(RoomId room, String correlationId) {
        return room.value() + '\u0000' + correlationId;
    }
}
