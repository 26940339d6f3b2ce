package io.playconnect.core;

/**
 * Broker subject and key names, in one place so every broker and every process agree. A tenant
 * prefix, when configured, goes before each of them.
 */
public final class Subjects {
    /** The key-value bucket holding cluster settings such as the partition count. */
    public static final String CONFIG_BUCKET = "pc-config";
    /** The key under {@link #CONFIG_BUCKET} that records the partition count. */
    public static final String PARTITIONS_KEY = "partitions";
    /** The key-value bucket for partition leases (TTL per bucket). */
    public static final String LEASE_BUCKET = "pc-leases";
    /** The key-value bucket for room snapshots (no TTL). */
    public static final String SNAPSHOT_BUCKET = "pc-snapshots";

    private Subjects() {
    }

    /** Where commands for a partition go, request-reply. */
    public static String commands(int partition) {
        return "pc.cmd." + partition;
    }

    /**
     * Where a room's current state is asked for, request-reply to the owning engine. The request
     * body is the room id in UTF-8; the reply is a {@link RoomSnapshot} encoded by the codec.
     */
    public static String state(int partition) {
        return "pc.state." + partition;
    }

    /** Key of a partition's lease. */
    public static String lease(int partition) {
        return "partition-" + partition;
    }

    /** Key of a room's snapshot. */
    public static String snapshot(RoomId room) {
        return room.kind() + '.' + room.id();
    }
}
