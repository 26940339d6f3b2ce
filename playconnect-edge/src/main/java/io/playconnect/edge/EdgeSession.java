package io.playconnect.edge;

import io.playconnect.core.Command;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.Origin;
import io.playconnect.core.RoomId;
import io.playconnect.core.StreamPosition;
import io.playconnect.core.SyncException;
import io.playconnect.core.trace.LogContext;
import io.playconnect.core.trace.Traceparent;
import io.playconnect.core.trace.Tracing;
import io.playconnect.edge.auth.Principal;
import io.playconnect.edge.auth.Scope;
import io.playconnect.edge.limits.ConnectionRateLimiter;
import io.opentelemetry.api.trace.Span;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client connection as the edge sees it, whatever its protocol. The gateway calls these
 * methods from any thread; each returns at once and answers through the session's
 * {@link SessionOutput}. Session state is confined to one serial executor.
 */
public final class EdgeSession {
    private static final int MAX_DEFERRED = 64;

    private final EdgeRuntime rt;
    private final Edge edge;
    private final Admission admission;
    private final String connectionId = UUID.randomUUID().toString();
    private final ProtocolMeters meters;
    private final SerialExecutor executor;
    private final OutboundQueue outbound;
    private final ConnectionRateLimiter inbound;
    private final CommandPipeline commands;
    private final SessionAuth auth;
    private final Map<RoomId, Joined> rooms = new HashMap<>();
    private final List<Runnable> deferred = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger rejectedInARow = new AtomicInteger();
    private volatile long lastRateLimitError = Long.MIN_VALUE;

    /** @param commandWindow commands in flight per room at once (see {@link CommandPipeline}) */
    EdgeSession(EdgeRuntime rt, Edge edge, Admission admission, SessionOutput output, int commandWindow) {
        this.rt = rt;
        this.edge = edge;
        this.admission = admission;
        this.meters = rt.metrics.forProtocol(admission.protocol());
        this.executor = new SerialExecutor(rt.pool);
        Objects.requireNonNull(output, "output");
        this.outbound = new OutboundQueue(output, output.executor() != null ? output.executor() : rt.pool,
                rt.limits.outboundQueueMessages(), rt.limits.outboundQueueBytes(), this::slowConsumer,
                () -> close(new CloseReason(CloseReason.Kind.INTERNAL, "output failed")));
        this.inbound = new ConnectionRateLimiter(rt.limits, rt.clock);
        this.commands = new CommandPipeline(this, rt, commandWindow);
        this.auth = new SessionAuth(this, rt);
    }

    public String connectionId() {
        return connectionId;
    }

    public String protocol() {
        return admission.protocol();
    }

    /** The authenticated principal, or null before the first successful {@link #authenticate}. */
    public Principal principal() {
        return auth.principal();
    }

    public boolean isOpen() {
        return !closed.get();
    }

    /**
     * Verifies a token: the first one authenticates the session, later ones refresh it (same user)
     * without reconnecting. Fails with a {@link SyncException}; a failed first token also closes
     * the session.
     */
    public CompletableFuture<Principal> authenticate(String token) {
        CompletableFuture<Principal> result = new CompletableFuture<>();
        executor.execute(() -> auth.authenticate(token, result));
        return result;
    }

    /** Joins a room from scratch (null) or resumes from a position; see {@link SessionOutput#joined}. */
    public void join(RoomId room, StreamPosition sinceOrNull) {
        Objects.requireNonNull(room, "room");
        whenAuthenticated(null, () -> doJoin(room, sinceOrNull));
    }

    /** Leaves a room; nothing more of it reaches the output. */
    public void leave(RoomId room) {
        Objects.requireNonNull(room, "room");
        executor.execute(() -> {
            Joined j = rooms.remove(room);
            if (j != null) {
                drop(j);
            }
        });
    }

    /**
     * Sends a command to the room; the answer is an {@code ack} or an {@code error} with the
     * correlationId (minted when null). The room need not be joined: the publish scope is enough.
     */
    public void publish(RoomId room, String type, byte[] payloadJson, String correlationIdOrNull,
                        String traceparentOrNull) {
        Objects.requireNonNull(room, "room");
        String correlationId = correlationIdOrNull != null ? correlationIdOrNull : UUID.randomUUID().toString();
        whenAuthenticated(correlationId, () -> doPublish(room, type, payloadJson, correlationId, traceparentOrNull));
    }

    /** Asks for the room's member list (presence scope). */
    public void presence(RoomId room) {
        Objects.requireNonNull(room, "room");
        whenAuthenticated(null, () -> {
            if (!principal().can(Scope.PRESENCE, room)) {
                sendError(new EdgeError(ErrorCode.FORBIDDEN, "no presence scope for " + room, null, room));
                return;
            }
            sendMembers(room, null);
        });
    }

    /**
     * Counts one inbound frame and charges it to the connection's rate limits. False means drop it:
     * the client has already been told (RATE_LIMITED, at most once a second).
     */
    public boolean inboundMessage(int bytes) {
        meters.frameIn(bytes);
        if (closed.get()) {
            return false;
        }
        if (inbound.tryAcquire(bytes)) {
            rejectedInARow.set(0);
            return true;
        }
        if (rejectedInARow.incrementAndGet() > floodLimit()) {
            close(new CloseReason(CloseReason.Kind.POLICY, "kept sending after being rate limited"));
            return false;
        }
        long now = rt.clock.millis();
        long previous = lastRateLimitError;
        if (now - previous >= 1000 || previous == Long.MIN_VALUE) {
            lastRateLimitError = now;
            sendError(new EdgeError(ErrorCode.RATE_LIMITED, "over " + rt.limits.messagesPerSecond()
                    + " messages/s or " + rt.limits.bytesPerSecond() + " bytes/s; message dropped", null, null));
        }
        return false;
    }

    private int floodLimit() {
        return Math.max(100, 2 * rt.limits.messageBurst());
    }

    /** Transport backpressure: false above the transport's high-water mark, true once it drained. */
    public void writable(boolean writable) {
        outbound.writable(writable);
    }

    /** Counts one outbound frame (metrics only). */
    public void frameWritten(int bytes) {
        meters.frameOut(bytes);
    }

    /** Counts {@code frames} outbound frames of {@code bytes} in all (metrics only): one call per flush. */
    public void framesWritten(int frames, long bytes) {
        meters.framesOut(frames, bytes);
    }

    /** Sends an error the gateway found while decoding, in order with everything else. */
    public void reportError(ErrorCode code, String message, String correlationIdOrNull) {
        sendError(new EdgeError(code, message, correlationIdOrNull, null));
    }

    /** The transport is gone: frees everything; nothing more is called on the output. */
    public void close() {
        if (closed.compareAndSet(false, true)) {
            outbound.close(null, false);
            release();
        }
    }

    /** Closes the session from the server side: the output's {@code close(reason)} is called. */
    public void close(CloseReason reason) {
        close(reason, true);
    }

    private void close(CloseReason reason, boolean flush) {
        Objects.requireNonNull(reason, "reason");
        if (closed.compareAndSet(false, true)) {
            outbound.close(reason, flush);
            release();
        }
    }

    // ------------------------------------------------------------------ internals

    private void release() {
        admission.release();
        meters.connectionClosed();
        edge.sessionClosed(this);
        executor.execute(() -> {
            rooms.values().forEach(this::drop);
            rooms.clear();
            commands.close();
            deferred.clear();
            auth.close();
        });
    }

    /** Runs {@code op} on the session executor once authenticated (waiting for a pending first auth). */
    private void whenAuthenticated(String correlationId, Runnable op) {
        executor.execute(() -> {
            if (closed.get()) {
                return;
            }
            if (auth.principal() != null) {
                op.run();
            } else if (!auth.pending()) {
                sendError(new EdgeError(ErrorCode.UNAUTHENTICATED, "authenticate first", correlationId, null));
            } else if (deferred.size() >= MAX_DEFERRED) {
                sendError(new EdgeError(ErrorCode.RATE_LIMITED, "too many requests before authentication",
                        correlationId, null));
            } else {
                deferred.add(op);
            }
        });
    }

    /** On the session executor, after the first token was accepted. */
    void runDeferred() {
        List<Runnable> ops = new ArrayList<>(deferred);
        deferred.clear();
        ops.forEach(Runnable::run);
    }

    private void doJoin(RoomId room, StreamPosition since) {
        if (!principal().can(Scope.SUBSCRIBE, room)) {
            sendError(new EdgeError(ErrorCode.FORBIDDEN, "no subscribe scope for " + room, null, room));
            return;
        }
        Joined previous = rooms.remove(room);
        if (previous != null) {
            // A new join of the same room starts over from the new position; presence stays.
            previous.subscriber.deactivate();
            rt.fanout.detach(previous.subscriber, previous.channel);
        } else if (rooms.size() >= rt.limits.maxRoomsPerSession()) {
            sendError(new EdgeError(ErrorCode.RATE_LIMITED,
                    "at most " + rt.limits.maxRoomsPerSession() + " rooms per session", null, room));
            return;
        }
        RoomSubscriber subscriber = new RoomSubscriber(this, room, since);
        rooms.put(room, new Joined(subscriber, rt.fanout.attach(subscriber)));
    }

    private void drop(Joined j) {
        j.subscriber.deactivate();
        rt.fanout.detach(j.subscriber, j.channel);
        j.channel.executor().execute(j.subscriber::leavePresence);
    }

    /** Leaves joined rooms the (refreshed) principal may no longer subscribe to; in the others its presence scope may have changed. */
    void revalidateRooms(Principal principal) {
        rooms.entrySet().removeIf(e -> {
            if (principal.can(Scope.SUBSCRIBE, e.getKey())) {
                Joined j = e.getValue();
                j.channel.executor().execute(() -> j.channel.principalChanged(j.subscriber));
                return false;
            }
            drop(e.getValue());
            sendError(new EdgeError(ErrorCode.FORBIDDEN, "the new token does not allow subscribing to "
                    + e.getKey() + "; left it", null, e.getKey()));
            return true;
        });
    }

    private void doPublish(RoomId room, String type, byte[] payload, String correlationId, String traceparent) {
        Span span = rt.tracing.enabled() ? CommandSpans.receive(rt.tracing, this, room, type, correlationId, traceparent) : null;
        // A malformed client context is ignored: with tracing on a new trace started above.
        String context = span != null ? Tracing.traceparent(span) : Traceparent.isValid(traceparent) ? traceparent : null;
        boolean labelled = rt.labelsLogs();
        if (labelled) {
            LogContext.set(context, room.value(), connectionId, protocol());
        }
        try {
            Command command;
            try {
                command = validate(room, type, payload, correlationId, context);
            } catch (SyncException e) {
                CommandSpans.end(span, e.code());
                sendError(new EdgeError(e.code(), e.getMessage(), correlationId, room));
                return;
            }
            commands.submit(command, span);
        } finally {
            if (labelled) {
                LogContext.clear();
            }
        }
    }

    private Command validate(RoomId room, String type, byte[] payload, String correlationId, String traceparent) {
        if (correlationId.isEmpty() || correlationId.length() > Command.MAX_CORRELATION_ID_LENGTH) {
            throw new SyncException(ErrorCode.BAD_REQUEST,
                    "correlationId must be 1.." + Command.MAX_CORRELATION_ID_LENGTH + " characters");
        }
        if (!principal().can(Scope.PUBLISH, room)) {
            throw new SyncException(ErrorCode.FORBIDDEN, "no publish scope for " + room);
        }
        if (rt.draining) {
            throw new SyncException(ErrorCode.UNAVAILABLE, "this server is draining; reconnect elsewhere");
        }
        if (payload == null) {
            throw new SyncException(ErrorCode.BAD_PAYLOAD, "payload is required");
        }
        if (payload.length > rt.limits.maxPayloadBytes()) {
            throw new SyncException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "payload of " + payload.length + " bytes exceeds " + rt.limits.maxPayloadBytes());
        }
        String qualified = Command.qualifyType(room, type);
        JsonCheck.requireSingleValue(payload);
        return new Command(room, qualified, payload, correlationId, new Origin(protocol(), principal().user()),
                traceparent);
    }

    void sendMembers(RoomId room, RoomSubscriber onlyIfActive) {
        rt.presence.members(room).whenComplete((members, err) -> {
            if (err != null) {
                sendError(new EdgeError(ErrorCode.UNAVAILABLE, "presence unavailable", null, room));
                return;
            }
            PresenceUpdate update = new PresenceUpdate.Members(members);
            outbound.offer(64 + 96 * members.size(), out -> {
                if (onlyIfActive == null || onlyIfActive.isActive()) {
                    out.presence(room, update);
                }
            });
        });
    }

    void sendAck(String correlationId, RoomId room, String epoch, long seq) {
        outbound.offer(96 + correlationId.length(), out -> out.ack(correlationId, room, epoch, seq));
    }

    void sendError(EdgeError error) {
        meters.rejection(error.code());
        outbound.offer(96 + error.message().length(), out -> out.error(error));
    }

    /** A join that failed for good: forget it (on the session executor, if it is still the current one). */
    void subscriberFailed(RoomSubscriber subscriber) {
        executor.execute(() -> {
            Joined j = rooms.get(subscriber.room());
            if (j != null && j.subscriber == subscriber) {
                rooms.remove(subscriber.room());
                drop(j);
            }
        });
    }

    private void slowConsumer() {
        if (!closed.get()) {
            meters.slowConsumer();
            close(new CloseReason(CloseReason.Kind.SLOW_CONSUMER, "outbound queue over "
                    + rt.limits.outboundQueueMessages() + " messages or " + rt.limits.outboundQueueBytes() + " bytes"),
                    false);
        }
    }

    SerialExecutor executor() {
        return executor;
    }

    OutboundQueue outbound() {
        return outbound;
    }

    ProtocolMeters meters() {
        return meters;
    }

    boolean isClosed() {
        return closed.get();
    }

    void scheduleAuthDeadline() {
        rt.timer.schedule(() -> executor.execute(auth::deadlinePassed),
                rt.limits.authDeadline().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Test hook: how many rooms the session has joined. */
    CompletableFuture<Integer> joinedRooms() {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        executor.execute(() -> f.complete(rooms.size()));
        return f;
    }

    private record Joined(RoomSubscriber subscriber, RoomChannel channel) {
    }
}
