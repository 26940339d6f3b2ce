package io.playconnect.testkit.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A thread-safe, append-only record of what clients did and saw. Record every publish attempt
 * ({@link #invoke}), including each retry with the same correlationId; every acknowledgement
 * ({@link #ack}); every event a client received, live or replayed on resume ({@link #deliver});
 * and every point where a client's position was set ({@link #resync}): when it joined without a
 * position (it then expects the seq after the one in {@code joined}) and when it got a snapshot
 * with {@code recovered: false}. A resume with {@code recovered: true} is no resync: the client's
 * deliveries must go on without a gap. Then hand it to {@link HistoryChecker#check(History)}.
 */
public final class History {

    /** What an {@link Op} records. */
    public enum Type {
        /** A publish attempt was sent (the first or a retry). */
        INVOKE,
        /** A publish was acknowledged with a position. */
        ACK,
        /** A client received an event. */
        DELIVER,
        /** A client's view of a room was set to a position: it joined at the head, or got a snapshot. */
        RESYNC
    }

    /**
     * One recorded operation, numbered in the order it was recorded.
     *
     * @param correlationId null for {@link Type#RESYNC}
     * @param epoch null for {@link Type#INVOKE}
     * @param seq 0 for {@link Type#INVOKE}
     */
    public record Op(long index, Type type, String client, String room, String correlationId, String epoch,
                     long seq, long nanos) {
    }

    private final List<Op> ops = new ArrayList<>();

    public void invoke(String client, String room, String correlationId) {
        add(Type.INVOKE, client, room, Objects.requireNonNull(correlationId, "correlationId"), null, 0);
    }

    public void ack(String client, String room, String correlationId, String epoch, long seq) {
        add(Type.ACK, client, room, Objects.requireNonNull(correlationId, "correlationId"),
                Objects.requireNonNull(epoch, "epoch"), seq);
    }

    public void deliver(String client, String room, String epoch, long seq, String correlationId) {
        add(Type.DELIVER, client, room, correlationId, Objects.requireNonNull(epoch, "epoch"), seq);
    }

    public void resync(String client, String room, String epoch, long seq) {
        add(Type.RESYNC, client, room, null, Objects.requireNonNull(epoch, "epoch"), seq);
    }

    private synchronized void add(Type type, String client, String room, String correlationId, String epoch, long seq) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(room, "room");
        ops.add(new Op(ops.size(), type, client, room, correlationId, epoch, seq, System.nanoTime()));
    }

    /** Everything recorded so far, in order. */
    public synchronized List<Op> ops() {
        return List.copyOf(ops);
    }

    public synchronized int size() {
        return ops.size();
    }

    /** A history of the given operations, renumbered in list order; for checking edited histories. */
    public static History of(List<Op> ops) {
        History h = new History();
        for (Op op : ops) {
            h.ops.add(new Op(h.ops.size(), op.type(), op.client(), op.room(), op.correlationId(), op.epoch(), op.seq(),
                    op.nanos()));
        }
        return h;
    }
}
