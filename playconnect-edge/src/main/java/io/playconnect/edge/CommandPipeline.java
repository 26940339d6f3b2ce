package io.playconnect.edge;

import io.playconnect.core.Command;
import io.playconnect.core.CommandResult;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.RoomId;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A session's commands: one in flight per room, the rest waiting in a small FIFO, so a client's
 * commands to a room are applied in the order it sent them. Confined to the session's executor.
 */
final class CommandPipeline {
    private final EdgeSession session;
    private final EdgeRuntime rt;
    private final Map<RoomId, ArrayDeque<Command>> rooms = new HashMap<>();
    private boolean closed;

    CommandPipeline(EdgeSession session, EdgeRuntime rt) {
        this.session = session;
        this.rt = rt;
    }

    /** Queues a validated command; refuses it when its room's FIFO is full. */
    void submit(Command command) {
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
        rt.engine.send(command, rt.limits.commandTimeout()).whenComplete((result, err) -> {
            CommandResult r = result != null ? result
                    : CommandResult.rejected(ErrorCode.INTERNAL, "command failed: " + err);
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
        session.sendError(new EdgeError(code, message, command.correlationId(), command.room()));
    }

    /** Drops waiting commands; those in flight finish, unreported. */
    void close() {
        closed = true;
        rooms.values().forEach(q -> {
            while (q.size() > 1) {
                q.pollLast();
            }
        });
    }
}
