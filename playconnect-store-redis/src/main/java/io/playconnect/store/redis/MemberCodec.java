package io.playconnect.store.redis;

import io.playconnect.core.spi.Member;

import java.util.ArrayList;
import java.util.List;

/**
 * A member as one string: its five fields separated by line feeds, with {@code \} and line feeds
 * inside a field escaped. Small, and readable in {@code redis-cli}.
 */
final class MemberCodec {
    private MemberCodec() {
    }

    static String encode(Member m) {
        StringBuilder sb = new StringBuilder(64);
        field(sb, m.user()).append('\n');
        field(sb, m.connectionId()).append('\n');
        field(sb, m.protocol()).append('\n');
        field(sb, m.gatewayId()).append('\n');
        return sb.append(m.joinedAt()).toString();
    }

    private static StringBuilder field(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                sb.append("\\\\");
            } else if (c == '\n') {
                sb.append("\\n");
            } else {
                sb.append(c);
            }
        }
        return sb;
    }

    /** The member {@code s} encodes; throws IllegalArgumentException for anything else. */
    static Member decode(String s) {
        List<String> fields = new ArrayList<>(5);
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                cur.append(n == 'n' ? '\n' : n);
            } else if (c == '\n') {
                fields.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        fields.add(cur.toString());
        if (fields.size() != 5) {
            throw new IllegalArgumentException("not an encoded member: " + fields.size() + " fields");
        }
        return new Member(fields.get(0), fields.get(1), fields.get(2), fields.get(3), Long.parseLong(fields.get(4)));
    }
}
