package io.playconnect.edge.auth;

import java.util.Locale;

/** What a principal may do in a room. The wire name (in tokens) is the lower-case name. */
public enum Scope {
    /** Join the room and receive its events. */
    SUBSCRIBE,
    /** Send commands to the room. */
    PUBLISH,
    /** See who is in the room. */
    PRESENCE;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }

    /** The scope with that wire name, or null when unknown (newer tokens may carry scopes we ignore). */
    public static Scope fromWireName(String name) {
        for (Scope s : values()) {
            if (s.wireName.equals(name)) {
                return s;
            }
        }
        return null;
    }
}
