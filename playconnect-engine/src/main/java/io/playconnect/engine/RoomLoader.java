package io.playconnect.engine;

import io.playconnect.core.RoomId;
import io.playconnect.core.Subjects;
import io.playconnect.core.codec.EnvelopeCodec;
import io.playconnect.core.spi.KeyValue;
import io.playconnect.core.spi.KvEntry;
import io.playconnect.core.spi.LogInfo;
import io.playconnect.core.spi.LogRecord;
import io.playconnect.core.spi.RoomLog;
import io.playconnect.engine.spi.RoomLogic;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Brings a room into memory from its snapshot plus the log after it. When the log no longer reaches
 * back to the snapshot (history lost, or a restart of a memory-only broker) or the epochs differ,
 * the room starts a new epoch: the log is reset and clients holding the old epoch get a snapshot
 * and {@code recovered: false}.
 */
final class RoomLoader {
    private static final int READ_BATCH = 1000;
    private final RoomLog log;
    private final KeyValue snapshots;
    private final int windowSize;
    private final EngineListener listener;
    private final EnvelopeCodec codec = EnvelopeCodec.instance();

    RoomLoader(RoomLog log, KeyValue snapshots, int windowSize, EngineListener listener) {
        this.log = log;
        this.snapshots = snapshots;
        this.windowSize = windowSize;
        this.listener = listener;
    }

    CompletableFuture<RoomRuntime> load(RoomId room, RoomLogic<?> logic, long nowMillis) {
        return snapshots.get(Subjects.snapshot(room))
                .thenCombine(log.info(room), (snap, info) -> new Start(snap, info))
                .thenCompose(start -> restore(room, logic, start, nowMillis));
    }

    private record Start(Optional<KvEntry> snapshot, LogInfo info) {
    }

    private CompletableFuture<RoomRuntime> restore(RoomId room, RoomLogic<?> logic, Start start, long now) {
        RoomRuntime rt = new RoomRuntime(room, logic, windowSize);
        rt.lastUsedMillis = now;
        rt.snapshotAtMillis = now;
        LogInfo info = start.info();
        SnapshotCodec.Stored snap = start.snapshot().map(e -> SnapshotCodec.decode(e.value()))
                .filter(s -> logic.kind().equals(s.kind()) && s.logicVersion() == logic.version())
                .orElse(null);
        boolean continuous = snap == null
                ? info.firstSeq() == 1
                : snap.epoch().equals(info.epoch()) && info.firstSeq() <= snap.seq() + 1 && snap.seq() <= info.lastSeq();
        if (!continuous) {
            return startNewEpoch(rt, snap);
        }
        rt.epoch = info.epoch();
        if (snap == null) {
            rt.state = logic.initialState(room);
        } else {
            fromSnapshot(rt, snap);
        }
        return replay(rt, rt.seq + 1, info.lastSeq()).thenApply(r -> {
            listener.onRoomLoaded(room, r.epoch, r.seq, false);
            return r;
        });
    }

    private void fromSnapshot(RoomRuntime rt, SnapshotCodec.Stored snap) {
        rt.state = rt.logic.decodeState(rt.room, snap.state());
        rt.seq = snap.seq();
        rt.committedSeq = snap.seq();
        rt.snapshotSeq = snap.seq();
        rt.lastTs = snap.hlc();
        for (DedupWindow.Entry e : snap.window()) {
            rt.window.put(e.user(), e.correlationId(), e.fingerprint(), e.seq());
        }
    }

    private CompletableFuture<RoomRuntime> startNewEpoch(RoomRuntime rt, SnapshotCodec.Stored snap) {
        // The old epoch's seqs mean nothing in the new one, so its window cannot be kept.
        rt.state = snap == null ? rt.logic.initialState(rt.room) : rt.logic.decodeState(rt.room, snap.state());
        rt.lastTs = snap == null ? 0 : snap.hlc();
        return log.reset(rt.room, 1).thenCompose(info -> {
            rt.epoch = info.epoch();
            rt.seq = info.lastSeq();
            rt.committedSeq = info.lastSeq();
            // Record the new epoch at once, or the next load would see the old snapshot again.
            byte[] stored = SnapshotCodec.encode(rt, rt.logic.encodeState(rt.state));
            return snapshots.put(Subjects.snapshot(rt.room), stored).thenApply(rev -> {
                rt.snapshotSeq = rt.committedSeq;
                listener.onRoomLoaded(rt.room, rt.epoch, rt.seq, true);
                return rt;
            });
        });
    }

    private CompletableFuture<RoomRuntime> replay(RoomRuntime rt, long from, long last) {
        if (from > last) {
            return CompletableFuture.completedFuture(rt);
        }
        return log.read(rt.room, from, READ_BATCH).thenCompose(records -> {
            if (records.isEmpty() || records.get(0).seq() != from) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "log of " + rt.room + " has a hole at seq " + from));
            }
            for (LogRecord r : records) {
                rt.replay(r, codec);
            }
            return replay(rt, lastSeq(records) + 1, last);
        });
    }

    private static long lastSeq(List<LogRecord> records) {
        return records.get(records.size() - 1).seq();
    }
}
