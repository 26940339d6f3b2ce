package io.playconnect.gateway.mqtt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * MQTT 5 shared subscriptions, {@code $share/<ShareName>/<filter>}: each message matching the
 * filter goes to one member of the group. Members are the subscriptions with the same share name
 * and filter, on every gateway: each becomes a member of one broker queue group, and the broker
 * hands each message to one member of a queue group (in-process and on NATS alike). Plain topics
 * only: a room's events are the room's log, which every subscriber reads whole.
 */
final class SharedSubscriptions {
    static final String PREFIX = "$share/";
    /** Queue group names stay short: longer ones are replaced by a digest. */
    private static final int MAX_GROUP_NAME = 200;

    private SharedSubscriptions() {
    }

    /** A parsed {@code $share/<group>/<filter>}. */
    record Shared(String group, String filter) {
    }

    /** A filter that starts with {@code $share/} but is not a valid shared subscription. */
    record Invalid(String reason) {
    }

    static boolean isShared(String filter) {
        return filter.startsWith(PREFIX);
    }

    /** {@link Shared} or {@link Invalid} for a filter that {@link #isShared is shared}. */
    static Object parse(String value) {
        int slash = value.indexOf('/', PREFIX.length());
        if (slash < 0) {
            return new Invalid("a shared subscription is $share/<share name>/<topic filter>: " + Topics.printable(value));
        }
        String group = value.substring(PREFIX.length(), slash);
        String filter = value.substring(slash + 1);
        if (group.isEmpty() || group.indexOf('+') >= 0 || group.indexOf('#') >= 0) {
            return new Invalid("a share name is at least one character without + or #: " + Topics.printable(value));
        }
        if (filter.isEmpty()) {
            return new Invalid("a shared subscription needs a topic filter after the share name: "
                    + Topics.printable(value));
        }
        return new Shared(group, filter);
    }

    /**
     * The broker queue group of a shared subscription: the same for the same share name and filter
     * on every gateway, and a valid queue group name (no white space or control characters).
     */
    static String queueGroup(String prefix, Shared shared) {
        StringBuilder sb = new StringBuilder(prefix).append(".share.");
        hexOf(shared.group(), sb);
        sb.append('.');
        hexOf(shared.filter(), sb);
        if (sb.length() <= MAX_GROUP_NAME) {
            return sb.toString();
        }
        return prefix + ".share.h" + digest(shared.group() + '\u0000' + shared.filter());
    }

    private static void hexOf(String s, StringBuilder sb) {
        sb.append(HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static String digest(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
