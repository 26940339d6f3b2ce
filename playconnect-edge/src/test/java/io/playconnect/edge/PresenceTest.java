package io.playconnect.edge;

import io.playconnect.core.ErrorCode;
import io.playconnect.core.RoomId;
import io.playconnect.core.RoomSnapshot;
import io.playconnect.core.spi.Member;
import io.playconnect.core.spi.PresenceStore;
import io.playconnect.core.spi.Subscription;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PresenceTest {
    private static final RoomId ROOM = RoomId.parse("game.p1");

    private static List<Member> members(RecordingOutput out) {
        return out.presence(ROOM).stream().map(RecordingOutput.Presence::update)
                .filter(u -> u instanceof PresenceUpdate.Members)
                .flatMap(u -> ((PresenceUpdate.Members) u).members().stream()).toList();
    }

    @Test
    void joinsAndLeavesReachMembersWithThePresenceScope() {
        try (EdgeHarness h = EdgeHarness.create()) {
            EdgeHarness.Client alice = h.connect("alice", "websocket", EdgeHarness.ALL);
            alice.session().join(ROOM, null);
            await().until(() -> members(alice.out()).size() == 1);
            assertThat(members(alice.out()).get(0).user()).isEqualTo("alice");

            EdgeHarness.Client bob = h.connect("bob", "mqtt", EdgeHarness.ALL);
            bob.session().join(ROOM, null);
            await().until(() -> members(bob.out()).size() == 2);
            assertThat(members(bob.out())).extracting(Member::user, Member::protocol, Member::gatewayId)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("alice", "websocket", "gw-test"),
                            org.assertj.core.groups.Tuple.tuple("bob", "mqtt", "gw-test"));
            await().until(() -> alice.out().presence(ROOM).stream()
                    .anyMatch(p -> p.update() instanceof PresenceUpdate.Joined j && j.member().user().equals("bob")));
            PresenceUpdate.Joined joined = (PresenceUpdate.Joined) alice.out().presence(ROOM).stream()
                    .map(RecordingOutput.Presence::update).filter(u -> u instanceof PresenceUpdate.Joined).findFirst().get();
            assertThat(joined.member().protocol()).isEqualTo("mqtt");
            assertThat(joined.member().connectionId()).isEqualTo(bob.session().connectionId());

            bob.session().close();
            await().until(() -> alice.out().presence(ROOM).stream()
                    .anyMatch(p -> p.update() instanceof PresenceUpdate.Left l && l.member().user().equals("bob")));
            assertThat(h.presence.members(ROOM).join()).extracting(Member::user).containsExactly("alice");
            // Its own join is not echoed back to a session.
            assertThat(alice.out().presence(ROOM)).noneMatch(p -> p.update() instanceof PresenceUpdate.Joined j
                    && j.member().connectionId().equals(alice.session().connectionId()));
        }
    }

    @Test
    void withoutThePresenceScopeNoPresenceIsSentButTheMemberIsListed() {
        try (EdgeHarness h = EdgeHarness.create()) {
            EdgeHarness.Client watcher = h.connect("watcher", EdgeHarness.ALL);
            watcher.session().join(ROOM, null);
            EdgeHarness.Client quiet = h.connect("quiet", Map.of("game.*", List.of("subscribe")));
            quiet.session().join(ROOM, null);
            await().until(() -> quiet.out().all(RoomSnapshot.class).size() == 1);
            // Depending on who got there first, the watcher learns of it from its member list or from a join.
            await().until(() -> members(watcher.out()).stream().anyMatch(m -> m.user().equals("quiet"))
                    || watcher.out().presence(ROOM).stream().anyMatch(p -> p.update() instanceof PresenceUpdate.Joined j
                    && j.member().user().equals("quiet")));
            quiet.session().presence(ROOM);
            await().until(() -> quiet.out().errors().size() == 1);
            assertThat(quiet.out().errors().get(0).code()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(quiet.out().presence(ROOM)).isEmpty();
        }
    }

    @Test
    void aRefreshedTokenThatAddsOrRemovesThePresenceScopeStartsOrStopsPresenceUpdates() {
        Map<String, List<String>> subscribeOnly = Map.of("game.*", List.of("subscribe"));
        try (EdgeHarness h = EdgeHarness.create()) {
            EdgeHarness.Client alice = h.connect("alice", EdgeHarness.ALL);
            alice.session().join(ROOM, null);
            EdgeHarness.Client bob = h.connect("bob", subscribeOnly);
            bob.session().join(ROOM, null);
            await().until(() -> bob.out().all(RoomSnapshot.class).size() == 1);
            await().until(() -> watchers(h) == 1);

            bob.session().authenticate(h.token("bob", EdgeHarness.ALL)).join();
            await().until(() -> watchers(h) == 2);
            h.connect("carol", subscribeOnly).session().join(ROOM, null);
            await().until(() -> joinedSeen(bob, "carol"));

            bob.session().authenticate(h.token("bob", subscribeOnly)).join();
            await().until(() -> watchers(h) == 1);
            h.connect("dave", subscribeOnly).session().join(ROOM, null);
            await().until(() -> joinedSeen(alice, "dave"));
            // The channel has handed dave's join to everyone it goes to; an error asked for now
            // reaches bob after anything queued for him before it.
            watchers(h);
            bob.session().presence(ROOM);
            await().until(() -> !bob.out().errors().isEmpty());
            assertThat(joinedSeen(bob, "dave")).isFalse();
            assertThat(joinedSeen(bob, "carol")).isTrue();
        }
    }

    private static boolean joinedSeen(EdgeHarness.Client client, String user) {
        return client.out().presence(ROOM).stream()
                .anyMatch(p -> p.update() instanceof PresenceUpdate.Joined j && j.member().user().equals(user));
    }

    /** The room channel's watcher count, read on its executor (so after everything queued there). */
    private static int watchers(EdgeHarness h) {
        RoomChannel channel = h.edge.runtime().fanout.channelOf(ROOM);
        CompletableFuture<Integer> count = new CompletableFuture<>();
        channel.executor().execute(() -> count.complete(channel.presenceWatcherCount()));
        return count.join();
    }

    @Test
    void leavingARoomRemovesTheMember() {
        try (EdgeHarness h = EdgeHarness.create()) {
            EdgeHarness.Client alice = h.connect("alice", EdgeHarness.ALL);
            alice.session().join(ROOM, null);
            await().until(() -> members(alice.out()).size() == 1);
            alice.session().leave(ROOM);
            await().until(() -> h.presence.members(ROOM).join().isEmpty());
            alice.session().presence(ROOM);
            await().until(() -> alice.out().presence(ROOM).size() == 2);
            assertThat(((PresenceUpdate.Members) alice.out().presence(ROOM).get(1).update()).members()).isEmpty();
        }
    }

    @Test
    void theEdgeHeartbeatsItsGatewayId() {
        AtomicInteger beats = new AtomicInteger();
        try (EdgeHarness h = EdgeHarness.newBuilder().heartbeat(Duration.ofMillis(20))
                .presenceView(real -> new CountingPresence(real, beats)).build()) {
            await().until(() -> beats.get() >= 3);
            assertThat(h.edge.gatewayId()).isEqualTo("gw-test");
        }
    }

    /** Counts heartbeats for gw-test and otherwise forwards. */
    private record CountingPresence(PresenceStore real, AtomicInteger beats) implements PresenceStore {
        @Override
        public CompletableFuture<Void> join(RoomId room, Member member) {
            return real.join(room, member);
        }

        @Override
        public CompletableFuture<Void> leave(RoomId room, String connectionId) {
            return real.leave(room, connectionId);
        }

        @Override
        public CompletableFuture<List<Member>> members(RoomId room) {
            return real.members(room);
        }

        @Override
        public CompletableFuture<Void> heartbeat(String gatewayId) {
            if (gatewayId.equals("gw-test")) {
                beats.incrementAndGet();
            }
            return real.heartbeat(gatewayId);
        }

        @Override
        public Subscription subscribe(RoomId room, PresenceListener listener) {
            return real.subscribe(room, listener);
        }
    }
}
