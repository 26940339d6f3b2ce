package io.playconnect.engine;

import io.playconnect.core.Command;
import io.playconnect.core.Event;
import io.playconnect.core.RoomId;
import io.playconnect.core.codec.EnvelopeCodec;
import io.playconnect.core.spi.LogRecord;
import io.playconnect.engine.spi.RoomLogic;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A loaded room: its logic, state, position and de-duplication window. Touched only by its
 * partition's thread. {@code seq} counts decided-and-applied events; {@code committedSeq} those
 * the log has confirmed. They differ only while appends are in flight.
 */
final class RoomRuntime {
    static final String FINGERPRINT_HEADER = "Pc-Fingerprint";

    final RoomId room;
    final RoomLogic<Object> logic;
    final DedupWindow window;
    Object state;
    String epoch;
    long seq;
    long committedSeq;
    long lastTs;
    long snapshotSeq = -1;
    long snapshotAtMillis;
    long lastUsedMillis;
    /** Set when the room is dropped, so late append completions know they are stale. */
    boolean evicted;
    private List<Waiter> waiters;

    @SuppressWarnings("unchecked")
    RoomRuntime(RoomId room, RoomLogic<?> logic, int windowSize) {
        this.room = room;
        this.logic = (RoomLogic<Object>) logic;
        this.window = new DedupWindow(windowSize);
    }

    /**
     * Decides and applies {@code command} as the next event, and returns the record to append. The
     * event and the record carry {@code traceparent} (null: no trace context).
     * Throws {@link io.playconnect.core.SyncException} (state unchanged) when the logic refuses.
     */
    LogRecord decideAndApply(Command command, String traceparent, long fingerprint, long nowMillis, EnvelopeCodec codec) {
        byte[] payload = logic.decide(state, command, nowMillis);
        long next = seq + 1;
        long ts = Math.max(nowMillis, lastTs);
        Event event = new Event(Event.eventId(epoch, next), command.type(), room, next, epoch, ts,
                command.correlationId(), traceparent, command.origin(), payload);
        byte[] data = codec.encodeEvent(event);
        logic.apply(state, event);
        seq = next;
        lastTs = ts;
        window.put(command.origin().user(), command.correlationId(), fingerprint, next);
        String fp = Long.toHexString(fingerprint);
        return new LogRecord(room, epoch, next, ts, data, traceparent == null ? Map.of(FINGERPRINT_HEADER, fp)
                : Map.of(FINGERPRINT_HEADER, fp, LogRecord.TRACEPARENT_HEADER, traceparent));
    }

    /** Replays a stored record: apply only, never validate; rebuilds the window as it goes. */
    void replay(LogRecord record, EnvelopeCodec codec) {
        Event event = codec.decodeEvent(record.data());
        logic.apply(state, event);
        seq = record.seq();
        committedSeq = record.seq();
        lastTs = Math.max(lastTs, record.timestamp());
        String fp = record.header(FINGERPRINT_HEADER);
        if (event.correlationId() != null && event.origin() != null && fp != null) {
            window.put(event.origin().user(), event.correlationId(), Long.parseUnsignedLong(fp, 16), record.seq());
        }
    }

    /** Runs {@code action} once {@code seq} is committed (true) or the room is dropped (false). */
    void afterCommit(long target, Consumer<Boolean> action) {
        if (target <= committedSeq) {
            action.accept(true);
            return;
        }
        if (waiters == null) {
            waiters = new ArrayList<>();
        }
        waiters.add(new Waiter(target, action));
    }

    /** Releases the waiters the commit reached, or all of them with false when the room is dropped. */
    void commitReached(boolean ok) {
        if (waiters == null || waiters.isEmpty()) {
            return;
        }
        List<Waiter> ready = new ArrayList<>();
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (!ok || w.seq <= committedSeq) {
                ready.add(w);
                it.remove();
            }
        }
        ready.forEach(w -> w.action.accept(ok));
    }

    private record Waiter(long seq, Consumer<Boolean> action) {
    }

    boolean idle() {
        return seq == committedSeq;
    }
}
