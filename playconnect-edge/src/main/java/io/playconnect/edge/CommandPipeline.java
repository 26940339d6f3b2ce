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
 * A session's commands: one in flight per room, the rest waiting in a small FIFO, so a client's
 * commands to a room are applied in the order it sent them. Confined to the session's executor.
 */
final class CommandPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(CommandPipeline.class);

    private final EdgeSession session;
    private final EdgeRuntime rt;
    private final Map<RoomId, ArrayDeque<Command>> rooms = new HashMap<>();
    // Receive spans of queued and in-flight commands; made only once tracing hands in a span.
    private Map<Command, Span> spans;
    private boolean closed;

    CommandPipeline(EdgeSession session, EdgeRuntime rt) {
        this.session = session;
        this.rt = rt;
    }

    /** Queues a validated command (with its receive span, or null); refuses it when its room's FIFO is full. */
    void submit(Command command, Span span) {
        if (span != null) {
            if (spans == null) {
                spans = new IdentityHashMap<>(4);
            }
            spans.put(command, span);
        }
        ArrayDeque<Command> queue = rooms.get(command.room());
        if (queue == null) {
            if (rooms.size() >= rt.limits.maxRoomsPerSession()) {
                reject(command, ErrorCode.RATE_LIMITED, "commands in flight to too many rooms at once");
                return;
            }
            queue = new ArrayDeque<>();
            rooms.put(command.room(), queue);
            queue.add(command);
            send(command);
            return;
        }
        // The head of the queue is the command in flight.
        if (queue.size() > rt.limits.maxQueuedCommandsPerRoom()) {
            reject(command, ErrorCode.RATE_LIMITED,
                    "more than " + rt.limits.maxQueuedCommandsPerRoom() + " commands waiting for " + command.room());
            return;
        }
        queue.add(command);
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
        ArrayDeque<Command> queue = rooms.get(command.room());
        if (queue == null) {
            return;
        }
        queue.poll();
        if (queue.isEmpty() || closed) {
            rooms.remove(command.room());
        } else {
            send(queue.peek());
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
        rooms.values().forEach(q -> {
            while (q.size() > 1) {
                Command dropped = q.pollLast();
                if (spans != null) {
                    CommandSpans.end(spans.remove(dropped), ErrorCode.UNAVAILABLE);
                }
            }
        });
    }
}
