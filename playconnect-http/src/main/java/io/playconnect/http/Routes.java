package io.playconnect.http;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The route table: exact paths to endpoint handlers (by method) or to one upgrade handler.
 * Registration may happen while the server runs; lookups never lock.
 */
final class Routes {

    /** What a path leads to. */
    sealed interface Route permits Endpoints, Upgrade {
    }

    /** Request/response handlers by upper-case method. */
    record Endpoints(Map<String, HttpHandler> byMethod) implements Route {
        /** The handler for {@code method}; a HEAD falls back to the GET handler. */
        HttpHandler find(String method) {
            HttpHandler h = byMethod.get(method);
            return h == null && "HEAD".equals(method) ? byMethod.get("GET") : h;
        }

        String allow() {
            Set<String> methods = new TreeSet<>(byMethod.keySet());
            if (methods.contains("GET")) {
                methods.add("HEAD");
            }
            return String.join(", ", methods);
        }
    }

    record Upgrade(UpgradeHandler handler) implements Route {
    }

    private final ConcurrentHashMap<String, Route> byPath = new ConcurrentHashMap<>();

    Route find(String path) {
        return byPath.get(path);
    }

    void addEndpoint(String method, String path, HttpHandler handler) {
        String m = checkMethod(method);
        checkPath(path);
        Objects.requireNonNull(handler, "handler");
        byPath.compute(path, (p, existing) -> {
            if (existing instanceof Upgrade) {
                throw new IllegalArgumentException("path " + p + " is already an upgrade route");
            }
            Map<String, HttpHandler> methods = existing == null ? Map.of() : ((Endpoints) existing).byMethod();
            if (methods.containsKey(m)) {
                throw new IllegalArgumentException("route " + m + " " + p + " is already registered");
            }
            Map<String, HttpHandler> more = new ConcurrentHashMap<>(methods);
            more.put(m, handler);
            return new Endpoints(Map.copyOf(more));
        });
    }

    void addUpgrade(String path, UpgradeHandler handler) {
        checkPath(path);
        Objects.requireNonNull(handler, "handler");
        if (byPath.putIfAbsent(path, new Upgrade(handler)) != null) {
            throw new IllegalArgumentException("path " + path + " is already routed");
        }
    }

    private static String checkMethod(String method) {
        Objects.requireNonNull(method, "method");
        String m = method.toUpperCase(Locale.ROOT);
        if (!m.matches("[A-Z]{1,16}")) {
            throw new IllegalArgumentException("method must be an HTTP method name: " + method);
        }
        return m;
    }

    private static void checkPath(String path) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/") || path.contains("?") || path.contains("#")) {
            throw new IllegalArgumentException("path must start with / and have no query or fragment: " + path);
        }
    }
}
