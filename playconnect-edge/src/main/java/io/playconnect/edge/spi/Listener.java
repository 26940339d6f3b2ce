package io.playconnect.edge.spi;

import java.net.URI;
import java.util.Objects;

/** Where a gateway listens, for the startup lines: {@code ("websocket", ws://127.0.0.1:8080/ws)}. */
public record Listener(String name, URI uri) {
    public Listener {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uri, "uri");
    }
}
