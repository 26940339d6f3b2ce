package io.playconnect.gateway.grpc;

import io.playconnect.core.CommandSender;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.RoomId;
import io.playconnect.core.RoomSnapshot;
import io.playconnect.core.SyncException;
import io.playconnect.core.spi.Broker;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads a room's state from its owner over the broker, for callers that want the state without
 * joining (a join would announce them in the room's presence). Retries while the room has no owner,
 * until the deadline. The caller has already checked the subscribe scope.
 */
final class Snapshots {
    private static final long BACKOFF_MILLIS = 50;

    private final Broker broker;
    private final ScheduledExecutorService timer;
    private volatile CommandSender sender;

    /** @param broker the process's broker, or null when the server offers none (then reads fail) */
    Snapshots(Broker broker, ScheduledExecutorService timer) {
        this.broker = broker;
        this.timer = timer;
    }

    CompletableFuture<RoomSnapshot> fetch(RoomId room, Duration timeout) {
        if (broker == null) {
            return CompletableFuture.failedFuture(new SyncException(ErrorCode.UNAVAILABLE,
                    "snapshots need the broker, which this server does not offer to gateways"));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture<RoomSnapshot> result = new CompletableFuture<>();
        attempt(room, deadline, result);
        return result;
    }

    private void attempt(RoomId room, long deadline, CompletableFuture<RoomSnapshot> result) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            result.completeExceptionally(new SyncException(ErrorCode.NO_OWNER, "no engine owns " + room + " yet"));
            return;
        }
        senderOrLookup().thenCompose(s -> s == null
                        ? CompletableFuture.<RoomSnapshot>failedFuture(new SyncException(ErrorCode.NO_OWNER,
                                "no engine has started yet"))
                        : s.fetchState(room, Duration.ofNanos(left)))
                .whenComplete((snapshot, err) -> {
                    if (err == null) {
                        result.complete(snapshot);
                        return;
                    }
                    Throwable t = Statuses.unwrap(err);
                    boolean noOwner = t instanceof SyncException e && e.code() == ErrorCode.NO_OWNER;
                    if (!noOwner || deadline - System.nanoTime() <= TimeUnit.MILLISECONDS.toNanos(BACKOFF_MILLIS)) {
                        result.completeExceptionally(t);
                        return;
                    }
                    try {
                        timer.schedule(() -> attempt(room, deadline, result), BACKOFF_MILLIS, TimeUnit.MILLISECONDS);
                    } catch (RejectedExecutionException e) {
                        result.completeExceptionally(t);
                    }
                });
    }

    private CompletableFuture<CommandSender> senderOrLookup() {
        CommandSender s = sender;
        if (s != null) {
            return CompletableFuture.completedFuture(s);
        }
        return CommandSender.readPartitioner(broker).thenApply(p -> {
            if (p == null) {
                return null;
            }
            CommandSender made = new CommandSender(broker, p);
            sender = made;
            return made;
        });
    }
}
