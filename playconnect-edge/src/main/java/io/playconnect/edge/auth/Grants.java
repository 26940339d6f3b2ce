package io.playconnect.edge.auth;

import io.playconnect.core.ErrorCode;
import io.playconnect.core.SyncException;

import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the {@code rooms} claim ({@code {"game.*": ["subscribe", "publish"]}}) shared by every verifier. */
final class Grants {
    static final int MAX_PATTERNS = 256;

    private Grants() {
    }

    static Principal principal(Object sub, Object rooms, Instant expiresAt) {
        if (!(sub instanceof String user) || user.isBlank() || user.length() > 256) {
            throw new SyncException(ErrorCode.UNAUTHENTICATED, "token lacks a valid sub");
        }
        if (expiresAt == null) {
            throw new SyncException(ErrorCode.UNAUTHENTICATED, "token lacks exp");
        }
        return new Principal(user, parse(rooms), expiresAt);
    }

    static Map<RoomPattern, Set<Scope>> parse(Object claim) {
        if (claim == null) {
            return Map.of();
        }
        if (!(claim instanceof Map<?, ?> map)) {
            throw new SyncException(ErrorCode.UNAUTHENTICATED, "rooms claim must be an object");
        }
        if (map.size() > MAX_PATTERNS) {
            throw new SyncException(ErrorCode.UNAUTHENTICATED, "rooms claim has more than " + MAX_PATTERNS + " patterns");
        }
        Map<RoomPattern, Set<Scope>> grants = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            RoomPattern pattern;
            try {
                pattern = RoomPattern.parse(String.valueOf(e.getKey()));
            } catch (SyncException bad) {
                throw new SyncException(ErrorCode.UNAUTHENTICATED, "rooms claim: " + bad.getMessage());
            }
            grants.merge(pattern, scopes(e.getValue()), (a, b) -> {
                Set<Scope> both = EnumSet.noneOf(Scope.class);
                both.addAll(a);
                both.addAll(b);
                return both;
            });
        }
        return grants;
    }

    private static Set<Scope> scopes(Object value) {
        if (!(value instanceof List<?> list)) {
            throw new SyncException(ErrorCode.UNAUTHENTICATED, "rooms claim: scopes must be an array of strings");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (Object item : list) {
            if (!(item instanceof String name)) {
                throw new SyncException(ErrorCode.UNAUTHENTICATED, "rooms claim: scopes must be an array of strings");
            }
            Scope scope = Scope.fromWireName(name);
            if (scope != null) {
                scopes.add(scope);
            }
        }
        return scopes;
    }
}
