package io.playconnect.server.web;

import io.playconnect.http.HttpHandler;
import io.playconnect.http.HttpRequest;
import io.playconnect.http.HttpResponse;
import io.playconnect.http.HttpServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * Serves the demo pages and the JavaScript client from classpath resources under one root
 * ({@code web/} in the server jar), all read into memory at start: a handful of small files,
 * answered from the event loop without I/O.
 *
 * <p>What is served is listed in the root's {@code manifest.txt}, because the HTTP server routes
 * exact paths and a jar cannot be listed portably. Each line is a file relative to the root
 * ({@code js/client.js} is served at {@code /js/client.js}) or an alias ({@code /dashboard =
 * dashboard.html}); {@code #} starts a comment. Nothing outside the manifest is ever read, so no
 * request path can reach another resource; paths with {@code ..}, {@code .}, empty segments or a
 * backslash are refused with 400 all the same, for when this handler is mounted more widely.
 *
 * <pre>{@code
 * StaticFiles.fromClasspath(StaticFiles.class.getClassLoader(), StaticFiles.DEFAULT_ROOT).install(http);
 * }</pre>
 */
public final class StaticFiles implements HttpHandler {
    public static final String DEFAULT_ROOT = "web";
    public static final String MANIFEST = "manifest.txt";
    /**
     * Pages may load only what this server serves and connect only back to it: the demo must work
     * with the network closed, and a vendored script from elsewhere would be refused at once.
     */
    static final String PAGE_POLICY = "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
            + "style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
    /** Files carry no version in their names, so browsers must revalidate (cheap with the ETag). */
    static final String CACHE_CONTROL = "no-cache";
    private static final Pattern SAFE_ENTRY = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("ts", "text/plain; charset=utf-8"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("md", "text/plain; charset=utf-8"));

    private record Asset(String contentType, byte[] body, String etag) {
    }

    private final Map<String, Asset> byPath;

    private StaticFiles(Map<String, Asset> byPath) {
        this.byPath = Map.copyOf(byPath);
    }

    /**
     * Loads every file the manifest under {@code root} lists.
     *
     * @throws IllegalStateException when the manifest is missing, or names an unsafe path or a
     *         resource that does not exist (the message names the entry)
     */
    public static StaticFiles fromClasspath(ClassLoader loader, String root) {
        Objects.requireNonNull(loader, "loader");
        Objects.requireNonNull(root, "root");
        if (!SAFE_ENTRY.matcher(root).matches()) {
            throw new IllegalArgumentException("root must be a plain resource folder such as 'web': " + root);
        }
        Map<String, Asset> byPath = new LinkedHashMap<>();
        Map<String, String> aliases = new LinkedHashMap<>();
        for (String line : readLines(loader, root + "/" + MANIFEST)) {
            String entry = line.strip();
            if (entry.isEmpty() || entry.startsWith("#")) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq >= 0) {
                aliases.put(entry.substring(0, eq).strip(), checkEntry(entry.substring(eq + 1).strip()));
            } else {
                byPath.put("/" + checkEntry(entry), load(loader, root, entry));
            }
        }
        aliases.forEach((path, target) -> {
            if (!path.startsWith("/") || path.contains("..") || path.contains("?")) {
                throw new IllegalStateException(MANIFEST + ": alias must be an absolute path: " + path);
            }
            Asset asset = byPath.get("/" + target);
            if (asset == null) {
                throw new IllegalStateException(MANIFEST + ": alias " + path + " names " + target + ", which is not listed");
            }
            byPath.put(path, asset);
        });
        return new StaticFiles(byPath);
    }

    /** Every request path served, aliases included. */
    public Set<String> paths() {
        return byPath.keySet();
    }

    /** Routes every path of {@link #paths()} (GET, and so HEAD) to this handler. */
    public void install(HttpServer http) {
        Objects.requireNonNull(http, "http");
        for (String path : byPath.keySet()) {
            http.route(path, this);
        }
    }

    @Override
    public CompletableFuture<HttpResponse> handle(HttpRequest request) {
        return CompletableFuture.completedFuture(answer(request));
    }

    private HttpResponse answer(HttpRequest request) {
        String path = request.path();
        if (!isCleanPath(path)) {
            return HttpResponse.error(400, "bad_request", "path must not contain '..', '.', '//' or '\\'");
        }
        Asset asset = byPath.get(path);
        if (asset == null) {
            return HttpResponse.error(404, "not_found", "no file at " + path);
        }
        if (request.header("If-None-Match").map(tags -> matches(tags, asset.etag())).orElse(false)) {
            return new HttpResponse(304, null, Map.of("ETag", asset.etag(), "Cache-Control", CACHE_CONTROL), null);
        }
        HttpResponse response = HttpResponse.of(200, asset.contentType(), asset.body())
                .withHeader("ETag", asset.etag())
                .withHeader("Cache-Control", CACHE_CONTROL)
                .withHeader("X-Content-Type-Options", "nosniff")
                .withHeader("Referrer-Policy", "no-referrer");
        return asset.contentType().startsWith("text/html") ? response.withHeader("Content-Security-Policy", PAGE_POLICY) : response;
    }

    static boolean isCleanPath(String path) {
        if (path == null || !path.startsWith("/") || path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0) {
            return false;
        }
        if (path.equals("/")) {
            return true;
        }
        for (String segment : path.substring(1).split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.strip();
            if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    private static String checkEntry(String entry) {
        if (!SAFE_ENTRY.matcher(entry).matches() || List.of(entry.split("/")).contains("..")) {
            throw new IllegalStateException(MANIFEST + ": not a safe relative path: " + entry);
        }
        return entry;
    }

    private static Asset load(ClassLoader loader, String root, String entry) {
        String resource = root + "/" + entry;
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(MANIFEST + " lists " + entry + ", but there is no resource " + resource);
            }
            byte[] body = in.readAllBytes();
            return new Asset(contentType(entry), body, etag(body));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
    }

    private static List<String> readLines(ClassLoader loader, String resource) {
        InputStream in = loader.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("no resource " + resource + ": the web files are not on the classpath");
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
    }

    static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }

    private static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
