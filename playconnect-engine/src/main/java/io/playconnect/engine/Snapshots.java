package io.playconnect.engine;

import io.playconnect.core.Subjects;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * When a partition's rooms are snapshotted: every N commits (so count retention never outruns
 * the last snapshot), after an interval (so age retention never does), and at the head before a
 * room leaves memory. Runs on the partition thread; the store write is asynchronous.
 */
final class Snapshots {
    private final EngineContext ctx;
    private final Executor partitionThread;

    Snapshots(EngineContext ctx, Executor partitionThread) {
        this.ctx = ctx;
        this.partitionThread = partitionThread;
    }

    void maybeSnapshot(RoomRuntime rt) {
        if (rt.idle() && rt.committedSeq - Math.max(rt.snapshotSeq, 0) >= ctx.config().snapshotEvery()) {
            take(rt);
        }
    }

    /** Stores a snapshot of the committed state; completes when it is stored (or failed). */
    CompletableFuture<Void> take(RoomRuntime rt) {
        if (!rt.idle() || rt.committedSeq == rt.snapshotSeq) {
            return CompletableFuture.completedFuture(null);
        }
        byte[] bytes = SnapshotCodec.encode(rt, rt.logic.encodeState(rt.state));
        long at = rt.committedSeq;
        long previous = rt.snapshotSeq;
        rt.snapshotSeq = at;
        rt.snapshotAtMillis = ctx.clock().millis();
        return ctx.snapshotBucket().put(Subjects.snapshot(rt.room), bytes).handle((rev, err) -> {
            if (err != null) {
                ctx.log().log(System.Logger.Level.WARNING, "snapshot of " + rt.room + " at " + at + " failed", err);
                partitionThread.execute(() -> rt.snapshotSeq = Math.min(rt.snapshotSeq, previous));
            } else {
                ctx.listener().onSnapshot(rt.room, at, bytes.length);
            }
            return null;
        });
    }

    /** Age-driven snapshots and idle eviction (a room is snapshotted at its head first). */
    void maintain(List<RoomRuntime> rooms, Consumer<RoomRuntime> evict) {
        long now = ctx.clock().millis();
        EngineConfig cfg = ctx.config();
        for (RoomRuntime rt : rooms) {
            if (!rt.idle()) {
                continue;
            }
            if (now - rt.lastUsedMillis >= cfg.idleTimeout().toMillis()) {
                evictAfterSnapshot(rt, evict);
            } else if (now - rt.snapshotAtMillis >= cfg.snapshotInterval().toMillis()) {
                take(rt);
            }
        }
    }

    /** Snapshots every room at its head, then drops it. */
    CompletableFuture<Void> flushAll(List<RoomRuntime> rooms, Consumer<RoomRuntime> evict) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (RoomRuntime rt : rooms) {
            all.add(evictAfterSnapshot(rt, evict));
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture[0]));
    }

    private CompletableFuture<Void> evictAfterSnapshot(RoomRuntime rt, Consumer<RoomRuntime> evict) {
        long at = rt.committedSeq;
        CompletableFuture<Void> done = new CompletableFuture<>();
        take(rt).whenComplete((v, e) -> partitionThread.execute(() -> {
            // A command that arrived meanwhile keeps the room: its snapshot would be stale.
            if (!rt.evicted && rt.committedSeq == at && rt.snapshotSeq == at && rt.idle()) {
                evict.accept(rt);
            }
            done.complete(null);
        }));
        return done;
    }
}
