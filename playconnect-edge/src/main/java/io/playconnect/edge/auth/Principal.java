package io.playconnect.edge.auth;

import io.playconnect.core.RoomId;

import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An authenticated user with the scopes it holds per room pattern, valid until {@code expiresAt}.
 * Grants add up: {@code game.*: [subscribe]} and {@code game.42: [publish]} allow both in
 * {@code game.42}.
 */
public record Principal(String user, Map<RoomPattern, Set<Scope>> rooms, Instant expiresAt) {
    public Principal {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Map<RoomPattern, Set<Scope>> copy = new LinkedHashMap<>();
        Objects.requireNonNull(rooms, "rooms").forEach((p, s) -> copy.put(p, s.isEmpty()
                ? Set.of() : Set.copyOf(EnumSet.copyOf(s))));
        rooms = java.util.Collections.unmodifiableMap(copy);
    }

    public boolean can(Scope scope, RoomId room) {
        for (Map.Entry<RoomPattern, Set<Scope>> e : rooms.entrySet()) {
            if (e.getValue().contains(scope) && e.getKey().matches(room)) {
                return true;
            }
        }
        return false;
    }
}
