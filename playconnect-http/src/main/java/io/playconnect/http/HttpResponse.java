package io.playconnect.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An answer to a request: no Netty types, nothing mutable. {@code Content-Length} and
 * {@code Connection} are set by the server; {@code headers} carries any others.
 *
 * @param status HTTP status code, 100 to 599
 * @param contentType the {@code Content-Type}, or null for a body-less answer
 * @param headers extra headers by name
 * @param body the body (empty when there is none)
 */
public record HttpResponse(int status, String contentType, Map<String, String> headers, byte[] body) {
    public static final String JSON = "application/json";
    public static final String TEXT = "text/plain; charset=utf-8";

    public HttpResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be in 100..599: " + status);
        }
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        body = body == null ? new byte[0] : body.clone();
    }

    public static HttpResponse of(int status, String contentType, byte[] body) {
        return new HttpResponse(status, contentType, Map.of(), body);
    }

    public static HttpResponse json(int status, String json) {
        Objects.requireNonNull(json, "json");
        return of(status, JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    public static HttpResponse text(int status, String text) {
        Objects.requireNonNull(text, "text");
        return of(status, TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The error body every endpoint of this server uses: {@code {"code":"...","message":"..."}},
     * with {@code code} a lower-case snake name such as {@code not_found}.
     */
    public static HttpResponse error(int status, String code, String message) {
        return json(status, "{\"code\":" + quote(code) + ",\"message\":" + quote(message) + "}");
    }

    /** A copy of this answer with one more header (replacing one of the same name). */
    public HttpResponse withHeader(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new HttpResponse(status, contentType, more, body);
    }

    /** A copy: the record stays immutable. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body without copying, for the server's own write path. */
    byte[] bodyUnsafe() {
        return body;
    }

    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** {@code s} as a JSON string literal, quotes included. */
    public static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
