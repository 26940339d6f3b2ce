package io.playconnect.core;

import java.util.Objects;

/** Who sent a command: the protocol it arrived over and the authenticated user (the principal). */
public record Origin(String protocol, String user) {
    public Origin {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(user, "user");
    }
}
