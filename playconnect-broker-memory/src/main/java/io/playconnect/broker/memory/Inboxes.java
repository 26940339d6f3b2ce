package io.playconnect.broker.memory;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reply subjects of requests, {@code _INBOX.<broker>.<id>}. Only requests whose reply subject was
 * asked for are in the map: a responder that answers with {@code Message.respond} completes the
 * request directly and never touches it.
 */
final class Inboxes {
    static final String INBOX = "_INBOX.";
    private final String prefix;
    private final ConcurrentHashMap<Long, PendingRequest> named = new ConcurrentHashMap<>();

    Inboxes() {
        byte[] b = new byte[8];
        new SecureRandom().nextBytes(b);
        prefix = INBOX + HexFormat.of().formatHex(b) + ".";
    }

    String subjectOf(long id) {
        return prefix + id;
    }

    void register(PendingRequest p) {
        named.put(p.id, p);
    }

    void unregister(PendingRequest p) {
        named.remove(p.id, p);
    }

    /** The waiting request that {@code subject} names, or null. */
    PendingRequest find(String subject) {
        if (!subject.startsWith(prefix)) {
            return null;
        }
        String id = subject.substring(prefix.length());
        if (id.isEmpty() || id.length() > 19 || !id.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        return named.get(Long.parseLong(id));
    }

    int named() {
        return named.size();
    }
}
