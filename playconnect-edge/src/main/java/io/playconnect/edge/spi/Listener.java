package io.playconnect.edge.spi;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;

/** Where a gateway listens, for the startup lines: {@code ("websocket", ws://127.0.0.1:8080/ws)}. */
public record Listener(String name, URI uri) {
    public Listener {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uri, "uri");
    }

    /**
     * {@code scheme://HOST:PORT} followed by {@code path} (empty for none) for a bound address. A
     * socket bound to every interface is printed as {@code 127.0.0.1}, so the line is one a client
     * on this machine can dial.
     */
    public static Listener at(String name, String scheme, InetSocketAddress bound, String path) {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(bound, "bound");
        Objects.requireNonNull(path, "path");
        return new Listener(name, URI.create(scheme + "://" + printableHost(bound) + ":" + bound.getPort() + path));
    }

    private static String printableHost(InetSocketAddress bound) {
        InetAddress address = bound.getAddress();
        if (address == null) {
            return bound.getHostString();
        }
        if (address.isAnyLocalAddress()) {
            return "127.0.0.1";
        }
        if (address instanceof Inet6Address) {
            return "[" + address.getHostAddress() + "]";
        }
        return address.getHostAddress();
    }
}
