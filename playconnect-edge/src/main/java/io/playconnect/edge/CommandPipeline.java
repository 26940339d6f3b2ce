package io.playconnect.edge;

import io.playconnect.core.Command;
import io.playconnect.core.CommandResult;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.RoomId;

import io.opentelemetry.api.trace.Span;
import io.playconnect.core.trace.LogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A session's commands: per room at most {@code window} in flight, the rest waiting in a small
 * FIFO. A client's session has a window of one, so its commands to a room are applied in the order
 * it sent them; a request session (many independent callers, each waiting for its own answer) has
 * a wider one, so one caller's command does not wait for another's answer. Confined to the
 * session's executor.
 */
final class CommandPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(CommandPipeline.class);

    private final EdgeSession session;
    private final EdgeRuntime rt;
    private final int window;
    private final Map<RoomId, RoomCommands> rooms = new HashMap<>();
    // Receive spans of queued and in-flight commands; made only once tracing hands in a span.
    private Map<Command, Span> spans;
    private boolean closed;

    /** @param window commands in flight per room at once; 1 keeps them in order */
    CommandPipeline(EdgeSession session, EdgeRuntime rt, int window) {
        this.session = session;
        this.rt = rt;
        this.window = window;
    }

    /** Queues a validated command (with its receive span, or null); refuses it when its room's FIFO is full. */
    void submit(Command command, Span span) {
        if (span != null) {
            if (spans == null) {
                spans = new IdentityHashMap<>(4);
            }
            spans.put(command, span);
        }
        RoomCommands room = rooms.get(command.room());
        if (room == null) {
            if (rooms.size() >= rt.limits.maxRoomsPerSession()) {
                reject(command, ErrorCode.RATE_LIMITED, "commands in flight to too many rooms at once");
                return;
            }
            room = new RoomCommands();
            rooms.put(command.room(), room);
        }
        if (room.inFlight < window) {
            // Nothing waits while there is room in the window: waiting ones are sent as answers free it.
            room.inFlight++;
            send(command);
            return;
        }
        if (room.waiting.size() >= rt.limits.maxQueuedCommandsPerRoom()) {
            reject(command, ErrorCode.RATE_LIMITED,
                    "more than " + rt.limits.maxQueuedCommandsPerRoom() + " commands waiting for " + command.room());
            return;
        }
        room.waiting.add(command);
    }

    private void send(Command command) {
        rt.commandsInFlight.incrementAndGet();
        long started = System.nanoTime();
        Span receive = spans == null ? null : spans.get(command);
        Span broker = receive == null ? null : CommandSpans.broker(rt.tracing, receive, command);
        Command outgoing = broker == null ? command : CommandSpans.under(broker, command);
        rt.engine.send(outgoing, rt.limits.commandTimeout()).whenComplete((result, err) -> {
            CommandResult r = result != null ? result
                    : CommandResult.rejected(ErrorCode.INTERNAL, "command failed: " + err);
            CommandSpans.end(broker, r);
            session.executor().execute(() -> {
                try {
                    onResult(command, r, System.nanoTime() - started);
                } finally {
                    // Only once the answer is queued for the client: a drain then closes after it.
                    rt.commandsInFlight.decrementAndGet();
                }
            });
        });
    }

    private void onResult(Command command, CommandResult result, long nanos) {
        boolean labelled = rt.labelsLogs();
        if (labelled) {
            LogContext.set(command.traceparent(), command.room().value(), session.connectionId(), session.protocol());
        }
        try {
            answer(command, result, nanos);
        } finally {
            if (labelled) {
                LogContext.clear();
            }
        }
    }

    private void answer(Command command, CommandResult result, long nanos) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} answered in {} us: {}", command.type(), command.correlationId(), nanos / 1000, result);
        }
        if (result instanceof CommandResult.Accepted a) {
            session.meters().command(null, nanos);
            if (!closed) {
                session.sendAck(command.correlationId(), command.room(), a.epoch(), a.seq());
            }
        } else {
            CommandResult.Rejected j = (CommandResult.Rejected) result;
            session.meters().command(j.code(), nanos);
            if (!closed) {
                reject(command, j.code(), j.message());
            }
        }
        if (spans != null) {
            CommandSpans.end(spans.remove(command), result);
        }
        RoomCommands room = rooms.get(command.room());
        if (room == null) {
            return;
        }
        Command next = closed ? null : room.waiting.poll();
        if (next != null) {
            send(next);
        } else if (--room.inFlight == 0) {
            rooms.remove(command.room());
        }
    }

    private void reject(Command command, ErrorCode code, String message) {
        if (spans != null) {
            CommandSpans.end(spans.remove(command), code);
        }
        session.sendError(new EdgeError(code, message, command.correlationId(), command.room()));
    }

    /** Drops waiting commands; those in flight finish, unreported. */
    void close() {
        closed = true;
        rooms.values().forEach(room -> {
            Command dropped;
            while ((dropped = room.waiting.pollLast()) != null) {
                if (spans != null) {
                    CommandSpans.end(spans.remove(dropped), ErrorCode.UNAVAILABLE);
                }
            }
        });
    }

    /** One room's commands: how many are in flight, and those waiting for a free place. */
    private static final class RoomCommands {
        private final ArrayDeque<Command> waiting = new ArrayDeque<>();
        private int inFlight;
    }
}
