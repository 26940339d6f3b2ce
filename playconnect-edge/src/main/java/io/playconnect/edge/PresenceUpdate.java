package io.playconnect.edge;

import io.playconnect.core.spi.Member;

import java.util.List;
import java.util.Objects;

/**
 * A presence change for a session that holds the presence scope: the member list (on join or on
 * request), then joins and leaves. Presence has no seq: a join is an upsert, so a member may
 * appear in {@link Members} and again in a {@link Joined}.
 */
public sealed interface PresenceUpdate {

    /** Everyone in the room now. */
    record Members(List<Member> members) implements PresenceUpdate {
        public Members {
            members = List.copyOf(Objects.requireNonNull(members, "members"));
        }
    }

    /** A connection joined the room. */
    record Joined(Member member) implements PresenceUpdate {
        public Joined {
            Objects.requireNonNull(member, "member");
        }
    }

    /** A connection left the room (or its gateway stopped heartbeating). */
    record Left(Member member) implements PresenceUpdate {
        public Left {
            Objects.requireNonNull(member, "member");
        }
    }
}
