package io.playconnect.server;

/**
 * A port to listen on and whether someone asked for it. A port nobody asked for (the built-in
 * default) may be replaced by a free one when taken; an explicit one (flag, environment or config
 * file) never is. Port 0 means any free port.
 */
public record ListenPort(int port, boolean explicit) {
    public ListenPort {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535: " + port);
        }
    }

    /** A port the user asked for: taken means failure. */
    public static ListenPort explicit(int port) {
        return new ListenPort(port, true);
    }

    /** A built-in default: taken means another, free port, with a warning. */
    public static ListenPort preferred(int port) {
        return new ListenPort(port, false);
    }

    @Override
    public String toString() {
        return port + (explicit ? "" : " (default)");
    }
}
