package io.playconnect.broker.nats;

import java.util.Objects;

/**
 * Checks subjects before they reach jnats, so that every broker refuses the same input with an
 * {@link IllegalArgumentException}: dot-separated non-empty tokens without white space; in a
 * subscription {@code *} may stand for one whole token and {@code >} for the whole last token.
 */
final class SubjectRules {
    private SubjectRules() {
    }

    /** A subject to publish or send a request to: no wildcards. */
    static String subject(String subject) {
        scan(subject, false);
        return subject;
    }

    /** A subscription pattern. */
    static String pattern(String pattern) {
        scan(pattern, true);
        return pattern;
    }

    /** A queue group: null (none) or a name without white space. */
    static String queueGroup(String group) {
        if (group != null && (group.isEmpty() || !printable(group))) {
            throw new IllegalArgumentException("queueGroup must be non-empty without white space: " + quote(group));
        }
        return group;
    }

    private static void scan(String subject, boolean wildcards) {
        Objects.requireNonNull(subject, "subject");
        int start = 0;
        for (int i = 0; i <= subject.length(); i++) {
            char c = i < subject.length() ? subject.charAt(i) : '.';
            if (c == '.') {
                token(subject, start, i, wildcards);
                start = i + 1;
            } else if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new IllegalArgumentException("subject must not contain white space: " + quote(subject));
            }
        }
    }

    private static void token(String subject, int from, int to, boolean wildcards) {
        if (from == to) {
            throw new IllegalArgumentException("subject must be non-empty tokens separated by '.': " + quote(subject));
        }
        String t = subject.substring(from, to);
        boolean wild = t.indexOf('*') >= 0 || t.indexOf('>') >= 0;
        if (!wild) {
            return;
        }
        if (!wildcards) {
            throw new IllegalArgumentException("subject must not contain wildcards: " + quote(subject));
        }
        if (!t.equals("*") && !(t.equals(">") && to == subject.length())) {
            throw new IllegalArgumentException(
                    "subject may use '*' as a whole token and '>' as the whole last token: " + quote(subject));
        }
    }

    private static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                return false;
            }
        }
        return true;
    }

    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return '"' + cut.replaceAll("[^\\x20-\\x7e]", "?") + '"';
    }
}
