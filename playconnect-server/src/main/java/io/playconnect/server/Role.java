package io.playconnect.server;

import java.util.Locale;

/** What a process does: own room partitions (the engine), serve clients (the gateways), or both. */
public enum Role {
    ENGINE, GATEWAY;

    /** The name used in {@code --roles}. */
    public String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code name}, any case; null when there is none. */
    public static Role fromOptionName(String name) {
        for (Role r : values()) {
            if (r.optionName().equalsIgnoreCase(name.trim())) {
                return r;
            }
        }
        return null;
    }
}
