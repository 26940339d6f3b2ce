package io.playconnect.engine.kinds;

import java.util.Arrays;

/**
 * Paths into a {@code doc} room's document, JSON-Pointer style: {@code ""} or {@code "/"} is the
 * root, otherwise {@code /seg/seg}, each segment 1 to {@value #MAX_SEGMENT} characters, at most
 * {@value #MAX_DEPTH} deep, with {@code ~1} for a slash and {@code ~0} for a tilde inside a segment.
 */
final class DocPath {
    static final int MAX_DEPTH = 16;
    static final int MAX_SEGMENT = 64;
    static final String[] ROOT = new String[0];

    private DocPath() {
    }

    /** The unescaped segments of a path; throws {@code bad_payload} when it breaks the rules. */
    static String[] parse(String raw) {
        if (raw.isEmpty() || raw.equals("/")) {
            return ROOT;
        }
        if (raw.charAt(0) != '/') {
            throw KindJson.badPayload("path must be \"/\" or start with \"/\": " + KindJson.quote(raw));
        }
        String[] segments = new String[MAX_DEPTH];
        int depth = 0;
        int start = 1;
        while (start <= raw.length()) {
            int slash = raw.indexOf('/', start);
            int end = slash < 0 ? raw.length() : slash;
            if (depth == MAX_DEPTH) {
                throw KindJson.badPayload("path is deeper than " + MAX_DEPTH + " segments");
            }
            segments[depth++] = segment(raw, start, end);
            start = end + 1;
        }
        return Arrays.copyOf(segments, depth);
    }

    private static String segment(String raw, int start, int end) {
        String seg = raw.substring(start, end);
        if (seg.indexOf('~') >= 0) {
            seg = unescape(seg, raw);
        }
        if (seg.isEmpty() || seg.length() > MAX_SEGMENT) {
            throw KindJson.badPayload("path segments must be 1 to " + MAX_SEGMENT + " characters: "
                    + KindJson.quote(raw));
        }
        return seg;
    }

    private static String unescape(String seg, String raw) {
        StringBuilder out = new StringBuilder(seg.length());
        for (int i = 0; i < seg.length(); i++) {
            char c = seg.charAt(i);
            if (c != '~') {
                out.append(c);
                continue;
            }
            char next = i + 1 < seg.length() ? seg.charAt(i + 1) : ' ';
            if (next != '0' && next != '1') {
                throw KindJson.badPayload("in a path, ~ must be followed by 0 or 1: " + KindJson.quote(raw));
            }
            out.append(next == '0' ? '~' : '/');
            i++;
        }
        return out.toString();
    }

    /** The canonical text of a path: {@code ""} for the root, escapes only where needed. */
    static String format(String[] segments) {
        StringBuilder out = new StringBuilder();
        for (String seg : segments) {
            out.append('/');
            for (int i = 0; i < seg.length(); i++) {
                char c = seg.charAt(i);
                if (c == '~') {
                    out.append("~0");
                } else if (c == '/') {
                    out.append("~1");
                } else {
                    out.append(c);
                }
            }
        }
        return out.toString();
    }
}
