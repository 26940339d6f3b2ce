package io.playconnect.engine;

import io.playconnect.core.CommandResult;
import io.playconnect.core.RoomId;

/**
 * Hears what the engine does, for metrics and logs. Every method has a no-op default; all are
 * called on partition threads and must not block.
 */
public interface EngineListener {

    /** A command was answered; {@code nanos} is from its arrival at the engine to the answer. */
    default void onCommand(RoomId room, String type, CommandResult result, long nanos) {
    }

    /** A room was loaded into memory (restored from snapshot plus log, or created). */
    default void onRoomLoaded(RoomId room, String epoch, long seq, boolean newEpoch) {
    }

    /** A room left memory after a snapshot at its head. */
    default void onRoomEvicted(RoomId room, long seq) {
    }

    /** A snapshot was stored. */
    default void onSnapshot(RoomId room, long seq, int bytes) {
    }

    /** This engine took or lost a partition lease. */
    default void onPartitionOwnership(int partition, boolean owned) {
    }
}
