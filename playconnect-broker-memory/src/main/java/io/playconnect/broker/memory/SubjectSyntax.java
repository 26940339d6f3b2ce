package io.playconnect.broker.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Splits and checks subjects: dot-separated non-empty tokens without white space; in patterns a
 * token may be {@code *} (one token) and the last token may be {@code >} (one or more tokens).
 */
final class SubjectSyntax {
    static final String ONE = "*";
    static final String REST = ">";

    private SubjectSyntax() {
    }

    /** The tokens of a subject to publish to; wildcards are refused. */
    static String[] subjectTokens(String subject) {
        String[] tokens = split(subject, "subject");
        for (String t : tokens) {
            if (t.indexOf('*') >= 0 || t.indexOf('>') >= 0) {
                throw new IllegalArgumentException("subject must not contain wildcards: " + quote(subject));
            }
        }
        return tokens;
    }

    /** The tokens of a subscription pattern. */
    static String[] patternTokens(String pattern) {
        String[] tokens = split(pattern, "subject");
        for (int i = 0; i < tokens.length; i++) {
            String t = tokens[i];
            boolean wild = t.indexOf('*') >= 0 || t.indexOf('>') >= 0;
            if (wild && !t.equals(ONE) && !(t.equals(REST) && i == tokens.length - 1)) {
                throw new IllegalArgumentException(
                        "subject may use '*' as a whole token and '>' as the whole last token: " + quote(pattern));
            }
        }
        return tokens;
    }

    /** Checks a queue group name: null (no group) or a non-empty name without white space. */
    static String queueGroup(String group) {
        if (group != null && (group.isEmpty() || !printable(group))) {
            throw new IllegalArgumentException("queueGroup must be non-empty without white space: " + quote(group));
        }
        return group;
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

    private static String[] split(String subject, String name) {
        Objects.requireNonNull(subject, name);
        List<String> tokens = new ArrayList<>(6);
        int start = 0;
        for (int i = 0; i <= subject.length(); i++) {
            char c = i < subject.length() ? subject.charAt(i) : '.';
            if (c == '.') {
                if (i == start) {
                    throw new IllegalArgumentException(name + " must be non-empty tokens separated by '.': "
                            + quote(subject));
                }
                tokens.add(subject.substring(start, i));
                start = i + 1;
            } else if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new IllegalArgumentException(name + " must not contain white space: " + quote(subject));
            }
        }
        return tokens.toArray(new String[0]);
    }

    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return '"' + cut.replaceAll("[^\\x20-\\x7e]", "?") + '"';
    }
}
