package io.playconnect.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A request as endpoint handlers see it: no Netty types, nothing mutable.
 *
 * @param method upper-case method name such as {@code GET}
 * @param path the decoded path without the query string
 * @param queryParams decoded query parameters, each with its values in order
 * @param headers header values by lower-case name
 * @param body the request body (empty when there is none)
 */
public record HttpRequest(String method, String path, Map<String, List<String>> queryParams,
                          Map<String, List<String>> headers, byte[] body) {

    public HttpRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        queryParams = copy(queryParams, false);
        headers = copy(headers, true);
        body = body == null ? new byte[0] : body.clone();
    }

    /** A GET of {@code path} with no parameters, headers or body (for tests and internal calls). */
    public static HttpRequest get(String path) {
        return new HttpRequest("GET", path, Map.of(), Map.of(), null);
    }

    /** A copy: the record stays immutable. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The first value of the header, whatever the case of {@code name}. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The first value of the query parameter. */
    public Optional<String> queryParam(String name) {
        List<String> values = queryParams.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> in, boolean lowerKeys) {
        if (in == null || in.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        in.forEach((k, v) -> out.merge(lowerKeys ? k.toLowerCase(Locale.ROOT) : k, List.copyOf(v),
                (a, b) -> concat(a, b)));
        return Map.copyOf(out);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        String[] all = new String[a.size() + b.size()];
        int i = 0;
        for (String s : a) {
            all[i++] = s;
        }
        for (String s : b) {
            all[i++] = s;
        }
        return List.of(all);
    }
}
