package io.playconnect.edge;

import io.playconnect.core.RoomId;
import io.playconnect.core.RoomSnapshot;

import java.util.concurrent.Executor;

/**
 * What the edge tells one client, implemented by the gateway for each connection. Calls for one
 * session are serialised (never concurrent) and in order, on {@link #executor()} or, when it gives
 * none, an edge thread; they must not block. Nothing is called after {@link #close}. Every method
 * does nothing by default.
 */
public interface SessionOutput {

    /**
     * Where the edge calls this output: the connection's own I/O thread (its event loop), or null
     * (the default) for the edge's threads. With one, the edge hands a room's event to each
     * executor once, as one task that serves all of that executor's sessions, instead of one hand-off
     * per session, and the output can write without a hand-off of its own.
     */
    default Executor executor() {
        return null;
    }

    /**
     * Ends a run of calls: an output that only buffered what it was given sends it now (one flush
     * per run instead of one per call).
     */
    default void flush() {
    }

    /**
     * The session is in the room. Events follow from {@code seq + 1}: {@code seq} is the snapshot's
     * seq (then {@link #snapshot} comes next) or, when {@code recovered}, the client's own position.
     */
    default void joined(RoomId room, String epoch, long seq, boolean recovered) {
    }

    /** The room's state (raw JSON) as of its seq; always right after {@code joined(recovered=false)}. */
    default void snapshot(RoomSnapshot snapshot) {
    }

    /** The next event of the room: per room, seqs are contiguous and each comes once. */
    default void event(RoomId room, OutboundEvent event) {
    }

    /** The command was stored as {@code seq} in {@code epoch}. */
    default void ack(String correlationId, RoomId room, String epoch, long seq) {
    }

    default void error(EdgeError error) {
    }

    default void presence(RoomId room, PresenceUpdate update) {
    }

    /** Close the transport now, with this reason. */
    default void close(CloseReason reason) {
    }
}
