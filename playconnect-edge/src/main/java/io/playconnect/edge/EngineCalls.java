package io.playconnect.edge;

import io.playconnect.core.Command;
import io.playconnect.core.CommandResult;
import io.playconnect.core.CommandSender;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.Partitioner;
import io.playconnect.core.RoomId;
import io.playconnect.core.RoomSnapshot;
import io.playconnect.core.SyncException;
import io.playconnect.core.spi.Broker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Talks to the engines for the edge: commands and state requests, each retried while the room has
 * no owner (the same command, so the same correlationId) until its deadline. Also finds the
 * partition count, which stays unknown until an engine has recorded it.
 */
final class EngineCalls {
    private static final Logger LOG = LoggerFactory.getLogger(EngineCalls.class);
    private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long PARTITIONS_POLL_MILLIS = 100;

    private final Broker broker;
    private final ScheduledExecutorService timer;
    private volatile CommandSender sender;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicBoolean polling = new java.util.concurrent.atomic.AtomicBoolean();

    EngineCalls(Broker broker, ScheduledExecutorService timer, Integer partitions) {
        this.broker = broker;
        this.timer = timer;
        if (partitions != null) {
            this.sender = new CommandSender(broker, new Partitioner(partitions));
        }
    }

    /** Polls the broker for the partition count until an engine has recorded it (one poller at a time). */
    void start() {
        if (sender == null && !closed && polling.compareAndSet(false, true)) {
            poll();
        }
    }

    private void poll() {
        CommandSender.readPartitioner(broker).whenComplete((p, err) -> {
            if (p != null) {
                sender = new CommandSender(broker, p);
                LOG.debug("partition count {}", p.partitions());
            } else if (!closed) {
                try {
                    timer.schedule(this::poll, PARTITIONS_POLL_MILLIS, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    polling.set(false);
                }
            }
        });
    }

    void close() {
        closed = true;
    }

    CompletableFuture<CommandResult> send(Command command, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        return retry(s -> s.send(command, remaining(deadline)).thenApply(r -> {
            if (r instanceof CommandResult.Rejected j && j.code() == ErrorCode.NO_OWNER) {
                throw new SyncException(ErrorCode.NO_OWNER, j.message());
            }
            return r;
        }), deadline, FIRST_BACKOFF_NANOS).exceptionally(err -> {
            SyncException e = asSync(err);
            return CommandResult.rejected(e.code(), e.getMessage());
        });
    }

    /** The room's state; fails with a {@link SyncException}. */
    CompletableFuture<RoomSnapshot> fetchState(RoomId room, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        return retry(s -> s.fetchState(room, remaining(deadline)), deadline, FIRST_BACKOFF_NANOS);
    }

    private <T> CompletableFuture<T> retry(Function<CommandSender, CompletableFuture<T>> call, long deadline,
                                           long backoff) {
        CommandSender s = sender;
        if (s == null) {
            start();
        }
        CompletableFuture<T> attempt;
        try {
            attempt = s == null
                    ? CompletableFuture.failedFuture(new SyncException(ErrorCode.NO_OWNER, "no engine has started yet"))
                    : call.apply(s);
        } catch (RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        return attempt.handle((value, err) -> {
            if (err == null) {
                return CompletableFuture.completedFuture(value);
            }
            SyncException e = asSync(err);
            long left = deadline - System.nanoTime();
            if (e.code() != ErrorCode.NO_OWNER || closed || left <= backoff) {
                return CompletableFuture.<T>failedFuture(e);
            }
            CompletableFuture<T> next = new CompletableFuture<>();
            timer.schedule(() -> {
                retry(call, deadline, Math.min(backoff * 2, MAX_BACKOFF_NANOS)).whenComplete((v, x) -> {
                    if (x != null) {
                        next.completeExceptionally(x);
                    } else {
                        next.complete(v);
                    }
                });
            }, backoff, TimeUnit.NANOSECONDS);
            return next;
        }).thenCompose(Function.identity());
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), deadline - System.nanoTime()));
    }

    static SyncException asSync(Throwable err) {
        for (Throwable t = err; t != null; t = t.getCause()) {
            if (t instanceof SyncException s) {
                return s;
            }
        }
        return new SyncException(ErrorCode.INTERNAL, String.valueOf(err));
    }
}
