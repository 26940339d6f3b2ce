package io.playconnect.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

/**
 * The process's listeners, in the order they are printed, and the one port policy every gateway
 * binds through: a default port that is taken is replaced by a free one with a warning; an explicit
 * one that is taken fails the start with a line naming the option.
 */
final class Listeners {
    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    /** The outcome of {@link #bind}: where it bound, and whether that was not the port asked for. */
    record Bound(InetSocketAddress address, boolean replacedDefault, int requestedPort) {
        int port() {
            return address.getPort();
        }

        /** The note to add to the listener line, empty when the port is the one asked for. */
        String replacementNote() {
            return replacedDefault ? "default port " + requestedPort + " was in use" : "";
        }
    }

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /**
     * Binds with {@code binder} (which starts a server on the port it is given and completes with
     * the bound address), following the port policy.
     *
     * @param option the option that sets this port, such as {@code --http-port}, for messages
     */
    CompletableFuture<Bound> bind(String option, ListenPort port, IntFunction<CompletableFuture<InetSocketAddress>> binder) {
        return binder.apply(port.port()).handle((address, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(new Bound(address, false, port.port()));
            }
            if (!isPortTaken(error)) {
                return CompletableFuture.<Bound>failedFuture(error);
            }
            if (port.explicit()) {
                return CompletableFuture.<Bound>failedFuture(
                        new StartupException(option + " " + port.port() + " is already in use", error));
            }
            return binder.apply(0).thenApply(address2 -> {
                log.warn("default {} {} is in use; listening on {} instead", option, port.port(), address2.getPort());
                return new Bound(address2, true, port.port());
            });
        }).thenCompose(f -> f);
    }

    static boolean isPortTaken(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
            // Native transports report it as their own IOException subtype.
            if (t.getMessage() != null && t.getMessage().contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    void add(Listener listener) {
        listeners.add(listener);
    }

    List<Listener> all() {
        return List.copyOf(listeners);
    }

    /** {@code scheme://host:port}, with an IPv6 literal in brackets. */
    static String url(String scheme, String host, int port) {
        String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return scheme + "://" + h + ":" + port;
    }
}
