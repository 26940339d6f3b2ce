package io.playconnect.core;

import java.nio.charset.StandardCharsets;

/**
 * The stable room-to-partition hash shared by gateways and engines (FNV-1a over the UTF-8 room id),
 * so every process routes a room to the same partition without asking anyone.
 */
public final class Partitioner {
    private final int partitions;

    public Partitioner(int partitions) {
        if (partitions < 1 || partitions > 4096) {
            throw new IllegalArgumentException("partitions must be in 1..4096: " + partitions);
        }
        this.partitions = partitions;
    }

    public int partitions() {
        return partitions;
    }

    public int partitionOf(RoomId room) {
        return Integer.remainderUnsigned(fnv1a(room.value().getBytes(StandardCharsets.UTF_8)), partitions);
    }

    static int fnv1a(byte[] bytes) {
        int hash = 0x811c9dc5;
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        return hash;
    }
}
