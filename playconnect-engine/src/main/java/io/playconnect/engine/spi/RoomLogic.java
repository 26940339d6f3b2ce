package io.playconnect.engine.spi;

import io.playconnect.core.Command;
import io.playconnect.core.Event;
import io.playconnect.core.RoomId;
import io.playconnect.core.SyncException;

/**
 * The rules of one kind of room ({@code game}, {@code doc}, {@code chat}, or a user's own), found
 * with {@link java.util.ServiceLoader}. The engine calls it from the room's partition thread only,
 * so a state object is never touched by two threads.
 *
 * <p>{@link #decide} validates and may read the clock; {@link #apply} is deterministic and never
 * validates, so replaying the log over a snapshot rebuilds exactly the live state.
 *
 * @param <S> the room's mutable state
 */
public interface RoomLogic<S> {

    /** The room kind this logic serves: the part of the room id before the dot. */
    String kind();

    /** Version of the state format and rules; recorded in snapshots. */
    int version();

    /** The state of a room that has no events yet. */
    S initialState(RoomId room);

    /**
     * Checks a command against the state without changing it, and returns the payload of the
     * event to store (often the command's own payload, possibly enriched).
     *
     * @param nowMillis the engine's clock, for rules about time
     * @throws SyncException with a typed code when the command is refused
     */
    byte[] decide(S state, Command command, long nowMillis);

    /** Applies a stored event to the state. Deterministic; must not throw for events it decided. */
    void apply(S state, Event event);

    /** The state as JSON: what a snapshot stores and what a joining client receives. */
    byte[] encodeState(S state);

    /** Rebuilds the state from {@link #encodeState} output of the same {@link #version()}. */
    S decodeState(RoomId room, byte[] json);
}
