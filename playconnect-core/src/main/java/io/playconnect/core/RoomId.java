package io.playconnect.core;

import java.util.regex.Pattern;

/**
 * A room's identity, {@code <kind>.<id>} such as {@code game.42}. The kind picks the room's logic;
 * the id is one token of letters, digits, {@code _} and {@code -}, so that the room maps one to one
 * onto broker subjects ({@code game.42}) and MQTT topics ({@code game/42}).
 */
public final class RoomId implements Comparable<RoomId> {
    public static final int MAX_LENGTH = 160;
    private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,127}");

    private final String kind;
    private final String id;
    private final String value;

    private RoomId(String kind, String id) {
        this.kind = kind;
        this.id = id;
        this.value = kind + '.' + id;
    }

    /** Parses {@code kind.id}; throws {@link SyncException} with {@link ErrorCode#BAD_ROOM}. */
    public static RoomId parse(String value) {
        if (value == null || value.isEmpty()) {
            throw new SyncException(ErrorCode.BAD_ROOM, "room is required");
        }
        if (value.length() > MAX_LENGTH) {
            throw new SyncException(ErrorCode.BAD_ROOM, "room id longer than " + MAX_LENGTH);
        }
        int dot = value.indexOf('.');
        if (dot < 0) {
            throw new SyncException(ErrorCode.BAD_ROOM, "room must be <kind>.<id>: " + printable(value));
        }
        return of(value.substring(0, dot), value.substring(dot + 1));
    }

    public static RoomId of(String kind, String id) {
        if (!validKind(kind)) {
            throw new SyncException(ErrorCode.BAD_ROOM, "room kind must match " + KIND + ": " + printable(kind));
        }
        if (!validId(id)) {
            throw new SyncException(ErrorCode.BAD_ROOM, "room id must match " + ID + ": " + printable(id));
        }
        return new RoomId(kind, id);
    }

    // Hand-rolled equivalents of KIND and ID: every command parses a room id, and a regex per
    // command was a measurable share of the engine's time.
    private static boolean validKind(String s) {
        if (s == null || s.isEmpty() || s.length() > 32 || s.charAt(0) < 'a' || s.charAt(0) > 'z') {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static boolean validId(String s) {
        if (s == null || s.isEmpty() || s.length() > 127) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static String printable(String s) {
        if (s == null) {
            return "null";
        }
        String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return '"' + cut.replaceAll("[^\\x20-\\x7e]", "?") + '"';
    }

    public String kind() {
        return kind;
    }

    public String id() {
        return id;
    }

    /** {@code kind.id}: the wire form, and the broker subject token. */
    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoomId && ((RoomId) o).value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public int compareTo(RoomId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
