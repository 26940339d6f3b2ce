package io.playconnect.edge.auth;

import io.playconnect.core.ErrorCode;
import io.playconnect.core.RoomId;
import io.playconnect.core.SyncException;

/**
 * Which rooms a grant covers: one room ({@code game.42}), every room of a kind ({@code game.*}) or
 * every room ({@code *}).
 */
public final class RoomPattern {
    private static final RoomPattern ANY = new RoomPattern("*", null, null);

    private final String value;
    private final String kind;
    private final RoomId room;

    private RoomPattern(String value, String kind, RoomId room) {
        this.value = value;
        this.kind = kind;
        this.room = room;
    }

    /** Parses a pattern; anything else is a {@link SyncException} with {@link ErrorCode#BAD_ROOM}. */
    public static RoomPattern parse(String pattern) {
        if ("*".equals(pattern)) {
            return ANY;
        }
        if (pattern != null && pattern.endsWith(".*")) {
            String kind = pattern.substring(0, pattern.length() - 2);
            // Validates the kind with RoomId's own rules, so a pattern can only name real kinds.
            RoomId.of(kind, "x");
            return new RoomPattern(pattern, kind, null);
        }
        RoomId room = RoomId.parse(pattern);
        return new RoomPattern(room.value(), null, room);
    }

    public boolean matches(RoomId candidate) {
        if (room != null) {
            return room.equals(candidate);
        }
        return kind == null || kind.equals(candidate.kind());
    }

    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoomPattern && ((RoomPattern) o).value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
