package io.playconnect.engine;

import io.playconnect.core.Command;
import io.playconnect.core.CommandResult;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.RoomId;
import io.playconnect.core.RoomSnapshot;
import io.playconnect.core.Subjects;
import io.playconnect.core.SyncException;
import io.playconnect.core.codec.EnvelopeCodec;
import io.playconnect.core.spi.BrokerException;
import io.playconnect.core.spi.LogRecord;
import io.playconnect.core.spi.Message;
import io.playconnect.core.spi.Subscription;
import io.playconnect.core.trace.LogContext;
import io.playconnect.core.trace.Traceparent;
import io.playconnect.core.trace.Tracing;
import io.playconnect.engine.spi.RoomLogic;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One partition: the single writer of its rooms. Every method except {@link #own()},
 * {@link #disown()} and the message entry points runs on the partition's own thread.
 */
final class Partition {
    private static final Logger LOG = LoggerFactory.getLogger(Partition.class);
    private static final String QUEUE_GROUP = "pc-engine";

    final int id;
    private final EngineContext ctx;
    private final PartitionExecutor executor;
    private final RoomLoader loader;
    private final Snapshots snapshots;
    private final Map<RoomId, RoomRuntime> rooms = new HashMap<>();
    private final Map<RoomId, List<Consumer<RoomRuntime>>> loading = new HashMap<>();
    private final EnvelopeCodec codec = EnvelopeCodec.instance();
    private volatile List<Subscription> subscriptions = List.of();
    private volatile int loadedRooms;
    /** Until when (System.nanoTime) the lease lets this partition act; see LeaseKeeper. */
    private volatile long leaseDeadline = System.nanoTime();

    Partition(int id, EngineContext ctx) {
        this.id = id;
        this.ctx = ctx;
        this.executor = new PartitionExecutor("pc-partition-" + id);
        this.loader = new RoomLoader(ctx.broker().roomLog(), ctx.snapshotBucket(), ctx.config().dedupWindow(),
                ctx.listener());
        this.snapshots = new Snapshots(ctx, executor);
    }

    // ------------------------------------------------------------------ ownership

    synchronized void own() {
        if (!subscriptions.isEmpty()) {
            return;
        }
        subscriptions = List.of(
                ctx.broker().subscribe(Subjects.commands(id), QUEUE_GROUP, this::onCommand),
                ctx.broker().subscribe(Subjects.state(id), QUEUE_GROUP, this::onStateRequest));
        ctx.listener().onPartitionOwnership(id, true);
    }

    /** Stops taking messages and drops every room without a snapshot (ownership is gone). */
    synchronized void disown() {
        quiesce();
        executor.execute(this::dropAll);
    }

    /** Stops taking messages but keeps the rooms, so a drain can still snapshot them. */
    synchronized void quiesce() {
        if (subscriptions.isEmpty()) {
            return;
        }
        subscriptions.forEach(Subscription::close);
        subscriptions = List.of();
        ctx.listener().onPartitionOwnership(id, false);
    }

    boolean owned() {
        return !subscriptions.isEmpty();
    }

    void leaseValidUntil(long deadlineNanos) {
        leaseDeadline = deadlineNanos;
    }

    /**
     * Whether the lease still holds on this process's clock. A process that was paused past it may
     * not have heard yet that another engine owns the partition: it appends nothing and acks nothing.
     */
    boolean leaseValid() {
        return System.nanoTime() - leaseDeadline < 0;
    }

    private static CommandResult lapsed(int partition) {
        return CommandResult.rejected(ErrorCode.NO_OWNER, "this engine's lease on partition " + partition
                + " lapsed; retry with the same correlationId");
    }

    int queueDepth() {
        return executor.depth();
    }

    int loadedRooms() {
        return loadedRooms;
    }

    // ------------------------------------------------------------------ entry points (broker threads)

    /**
     * Decodes and checks on the broker's thread (the caller's, in process), so the partition's one
     * thread spends itself only on what needs the room: that thread is the partition's ceiling.
     */
    void onCommand(Message message) {
        long t0 = System.nanoTime();
        Command command;
        try {
            command = codec.decodeCommand(message.data());
            checkCommand(command);
        } catch (SyncException e) {
            reply(message, null, "unknown", CommandResult.rejected(e.code(), e.getMessage()), t0);
            return;
        }
        long fingerprint = DedupWindow.fingerprint(command.type(), command.payload());
        Message request = ctx.tracing().enabled() ? TracedCommand.start(ctx.tracing(), command, id, message) : message;
        executor.execute(() -> handleCommand(command, fingerprint, request, t0));
    }

    void onStateRequest(Message message) {
        executor.execute(() -> handleState(message));
    }

    // ------------------------------------------------------------------ commands

    private void handleCommand(Command command, long fingerprint, Message message, long t0) {
        boolean labelled = labelsLogs();
        if (labelled) {
            LogContext.set(traceparent(command, message), command.room().value(), null, command.origin().protocol());
        }
        try {
            withRoom(command.room(), rt -> process(rt, command, fingerprint, message, t0),
                    e -> reply(message, command.room(), command.type(), CommandResult.rejected(e.code(), e.getMessage()), t0));
        } finally {
            if (labelled) {
                LogContext.clear();
            }
        }
    }

    /** Whether to set the MDC around a command: each put allocates, so only while tracing or DEBUG is on. */
    private boolean labelsLogs() {
        return ctx.tracing().enabled() || LOG.isDebugEnabled();
    }

    /**
     * The context the command's event carries on: the apply span when tracing, else the
     * gateway's (a malformed one from any other producer is dropped, never stored).
     */
    private static String traceparent(Command command, Message message) {
        if (message instanceof TracedCommand t) {
            return t.traceparent();
        }
        String given = command.traceparent();
        return Traceparent.isValid(given) ? given : null;
    }

    private void checkCommand(Command command) {
        if (command.payload().length > ctx.config().maxPayloadBytes()) {
            throw new SyncException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "payload of " + command.payload().length + " bytes exceeds " + ctx.config().maxPayloadBytes());
        }
        if (command.correlationId().isEmpty() || command.correlationId().length() > Command.MAX_CORRELATION_ID_LENGTH) {
            throw new SyncException(ErrorCode.BAD_REQUEST, "correlationId must have 1.."
                    + Command.MAX_CORRELATION_ID_LENGTH + " characters");
        }
        Command.qualifyType(command.room(), command.type());
    }

    private void process(RoomRuntime rt, Command command, long fingerprint, Message message, long t0) {
        long now = ctx.clock().millis();
        rt.lastUsedMillis = now;
        DedupWindow.Entry seen = rt.window.get(command.origin().user(), command.correlationId());
        if (seen != null) {
            answerRetry(rt, command, message, t0, fingerprint, seen);
            return;
        }
        if (!leaseValid()) {
            reply(message, rt.room, command.type(), lapsed(id), t0);
            return;
        }
        LogRecord record;
        try {
            record = rt.decideAndApply(command, traceparent(command, message), fingerprint, now, codec);
        } catch (SyncException e) {
            reply(message, rt.room, command.type(), CommandResult.rejected(e.code(), e.getMessage()), t0);
            return;
        } catch (RuntimeException e) {
            LogContext.around(traceparent(command, message), rt.room.value(), null, command.origin().protocol(),
                    () -> ctx.log().log(System.Logger.Level.ERROR, "room logic of " + rt.room + " failed", e));
            reply(message, rt.room, command.type(), CommandResult.rejected(ErrorCode.INTERNAL, "room logic failed"), t0);
            return;
        }
        CompletableFuture<Void> append = append(record, message);
        if (append.isDone()) {
            onAppended(rt, record.seq(), command, message, t0, append.isCompletedExceptionally() ? cause(append) : null);
        } else {
            append.whenComplete((v, err) -> executor.execute(() -> onAppended(rt, record.seq(), command, message, t0, err)));
        }
    }

    /** Appends the record; with tracing, inside a log-append span that is a child of the apply span. */
    private CompletableFuture<Void> append(LogRecord record, Message message) {
        if (!(message instanceof TracedCommand t)) {
            return ctx.broker().roomLog().append(record, record.seq() - 1);
        }
        Span span = ctx.tracing().start(TracedCommand.APPEND_SPAN, SpanKind.CLIENT, t.span());
        span.setAttribute(Tracing.ROOM, record.room().value());
        span.setAttribute(Tracing.SEQ, record.seq());
        CompletableFuture<Void> append;
        try {
            append = ctx.broker().roomLog().append(record, record.seq() - 1);
        } catch (RuntimeException e) {
            append = CompletableFuture.failedFuture(e);
        }
        return append.whenComplete((v, err) -> {
            if (err != null) {
                Tracing.fail(span, String.valueOf(BrokerException.reasonOf(err)));
            }
            span.end();
        });
    }

    private static Throwable cause(CompletableFuture<?> failed) {
        try {
            failed.join();
            return null;
        } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
            return e.getCause() == null ? e : e.getCause();
        }
    }

    private void answerRetry(RoomRuntime rt, Command command, Message message, long t0, long fingerprint,
                             DedupWindow.Entry seen) {
        if (seen.fingerprint() != fingerprint) {
            reply(message, rt.room, command.type(), CommandResult.rejected(ErrorCode.IDEMPOTENCY_CONFLICT,
                    "correlationId " + command.correlationId() + " was used for another command"), t0);
        } else if (seen.seq() <= rt.committedSeq) {
            reply(message, rt.room, command.type(), new CommandResult.Accepted(rt.epoch, seen.seq()), t0);
        } else {
            rt.afterCommit(seen.seq(), ok -> reply(message, rt.room, command.type(), ok
                    ? new CommandResult.Accepted(rt.epoch, seen.seq())
                    : CommandResult.rejected(ErrorCode.NO_OWNER, "the room moved; retry"), t0));
        }
    }

    private void onAppended(RoomRuntime rt, long seq, Command command, Message message, long t0, Throwable err) {
        boolean labelled = labelsLogs();
        if (labelled) {
            LogContext.set(traceparent(command, message), rt.room.value(), null, command.origin().protocol());
        }
        try {
            appended(rt, seq, command, message, t0, err);
        } finally {
            if (labelled) {
                LogContext.clear();
            }
        }
    }

    private void appended(RoomRuntime rt, long seq, Command command, Message message, long t0, Throwable err) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} seq {} of {}: {}", command.type(), seq, rt.room, err == null ? "stored" : "append failed: " + err);
        }
        if (err == null && !rt.evicted) {
            rt.committedSeq = seq;
            reply(message, rt.room, command.type(), new CommandResult.Accepted(rt.epoch, seq), t0);
            rt.commitReached(true);
            snapshots.maybeSnapshot(rt);
            return;
        }
        reply(message, rt.room, command.type(), appendFailure(err), t0);
        if (!rt.evicted) {
            // Memory is ahead of the log now: drop the room; the next command reloads it from the log.
            evict(rt);
        }
    }

    private static CommandResult appendFailure(Throwable err) {
        BrokerException.Reason reason = err == null ? null : BrokerException.reasonOf(err);
        if (reason == null || reason == BrokerException.Reason.WRONG_LAST_SEQUENCE) {
            return CommandResult.rejected(ErrorCode.NO_OWNER, "the room's log moved on; retry with the same correlationId");
        }
        if (reason == BrokerException.Reason.TIMEOUT) {
            return CommandResult.rejected(ErrorCode.OUTCOME_UNKNOWN, "log append timed out; retry with the same correlationId");
        }
        return CommandResult.rejected(ErrorCode.UNAVAILABLE, "log append failed: " + err.getMessage());
    }

    private void reply(Message message, RoomId room, String type, CommandResult result, long t0) {
        if (result instanceof CommandResult.Accepted && !leaseValid()) {
            // Stored, but another engine may own the room by now: the retry gets the ack from the owner.
            result = lapsed(id);
        }
        if (message instanceof TracedCommand t) {
            t.result(result);
        }
        message.respond(codec.encodeResult(result));
        ctx.listener().onCommand(room, type, result, System.nanoTime() - t0);
    }

    // ------------------------------------------------------------------ state requests

    private void handleState(Message message) {
        RoomId room;
        try {
            room = RoomId.parse(new String(message.data(), StandardCharsets.UTF_8));
        } catch (SyncException e) {
            message.respond(codec.encodeResult(CommandResult.rejected(e.code(), e.getMessage())));
            return;
        }
        withRoom(room, rt -> rt.afterCommit(rt.seq, ok -> message.respond(ok && leaseValid()
                        ? codec.encodeSnapshot(new RoomSnapshot(rt.room, rt.epoch, rt.committedSeq, rt.logic.encodeState(rt.state)))
                        : codec.encodeResult(CommandResult.rejected(ErrorCode.NO_OWNER, "the room moved; retry")))),
                e -> message.respond(codec.encodeResult(CommandResult.rejected(e.code(), e.getMessage()))));
    }

    // ------------------------------------------------------------------ loading and eviction

    private void withRoom(RoomId room, Consumer<RoomRuntime> action, Consumer<SyncException> onError) {
        RoomRuntime rt = rooms.get(room);
        if (rt != null) {
            action.accept(rt);
            return;
        }
        RoomLogic<?> logic = ctx.logics().get(room.kind());
        if (logic == null) {
            onError.accept(new SyncException(ErrorCode.UNKNOWN_KIND, "no room kind " + room.kind()
                    + "; this engine serves " + ctx.logics().kinds()));
            return;
        }
        List<Consumer<RoomRuntime>> waiting = loading.get(room);
        if (waiting != null) {
            waiting.add(r -> runOrFail(r, action, onError));
            return;
        }
        waiting = new ArrayList<>();
        waiting.add(r -> runOrFail(r, action, onError));
        loading.put(room, waiting);
        loader.load(room, logic, ctx.clock().millis())
                .whenComplete((r, err) -> executor.execute(() -> installed(room, r, err)));
    }

    private static void runOrFail(RoomRuntime rt, Consumer<RoomRuntime> action, Consumer<SyncException> onError) {
        if (rt == null) {
            onError.accept(new SyncException(ErrorCode.UNAVAILABLE, "room could not be loaded"));
        } else {
            action.accept(rt);
        }
    }

    private void installed(RoomId room, RoomRuntime rt, Throwable err) {
        List<Consumer<RoomRuntime>> waiting = loading.remove(room);
        if (err != null) {
            LogContext.around(null, room.value(), null, null,
                    () -> ctx.log().log(System.Logger.Level.ERROR, "loading " + room + " failed", err));
            rt = null;
        } else if (owned()) {
            rooms.put(room, rt);
            loadedRooms = rooms.size();
        }
        for (Consumer<RoomRuntime> w : waiting) {
            w.accept(rt);
        }
    }

    void evict(RoomRuntime rt) {
        rt.evicted = true;
        rt.commitReached(false);
        if (rooms.remove(rt.room, rt)) {
            loadedRooms = rooms.size();
            ctx.listener().onRoomEvicted(rt.room, rt.committedSeq);
        }
    }

    private void dropAll() {
        for (RoomRuntime rt : new ArrayList<>(rooms.values())) {
            evict(rt);
        }
    }

    /** Periodic work on the partition thread: snapshots for age retention, idle eviction. */
    void maintain() {
        executor.execute(() -> snapshots.maintain(new ArrayList<>(rooms.values()), this::evict));
    }

    /** Snapshots every room at its head and drops it; completes when all snapshots are stored. */
    CompletableFuture<Void> flush() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        executor.execute(() -> snapshots.flushAll(new ArrayList<>(rooms.values()), this::evict)
                .whenComplete((v, e) -> done.complete(null)));
        return done;
    }

    void shutdown() {
        executor.shutdown();
    }
}
