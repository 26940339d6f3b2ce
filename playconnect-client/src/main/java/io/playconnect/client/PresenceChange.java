package io.playconnect.client;

import java.util.List;
import java.util.Objects;

/**
 * A presence update of a joined room: the member list (on join or on request), then joins and
 * leaves. Presence has no seq: a join is an upsert.
 */
public sealed interface PresenceChange {
    String room();

    /** Everyone in the room now. */
    record Members(String room, List<Member> members) implements PresenceChange {
        public Members {
            members = List.copyOf(Objects.requireNonNull(members, "members"));
        }
    }

    /** A connection joined. */
    record Joined(String room, Member member) implements PresenceChange {
    }

    /** A connection left. */
    record Left(String room, Member member) implements PresenceChange {
    }
}
