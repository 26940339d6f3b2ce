package io.playconnect.testkit;

import io.playconnect.core.RoomId;
import io.playconnect.core.spi.Member;
import io.playconnect.core.spi.PresenceStore;
import io.playconnect.core.spi.PresenceStore.PresenceListener;
import io.playconnect.core.spi.Subscription;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.playconnect.testkit.ContractSupport.join;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link PresenceStore}: joins, leaves, member lists, listeners, and expiry of the members of a
 * gateway that stops heartbeating. Every test uses rooms and gateway ids of its own.
 */
public abstract class PresenceStoreContract {
    protected PresenceStore store;
    private String prefix;

    /** A new store whose entries expire {@code ttl} after their last join or heartbeat. */
    protected abstract PresenceStore newPresenceStore(Duration ttl);

    /** The TTL the suite runs with: small, so expiry takes about a second; override if needed. */
    protected Duration presenceTtl() {
        return Duration.ofMillis(1500);
    }

    /** Releases the store; the default closes it when it is {@link AutoCloseable}. */
    protected void closePresenceStore(PresenceStore store) throws Exception {
        if (store instanceof AutoCloseable) {
            ((AutoCloseable) store).close();
        }
    }

    @BeforeEach
    void openStore() {
        store = newPresenceStore(presenceTtl());
        prefix = "p" + ContractSupport.unique();
    }

    @AfterEach
    void closeStore() throws Exception {
        closePresenceStore(store);
    }

    protected RoomId room(String name) {
        return RoomId.of("test", prefix + "-" + name);
    }

    protected Member member(String user, String gateway) {
        return new Member(user, prefix + "-" + user + "-conn", "websocket", prefix + "-" + gateway,
                System.currentTimeMillis());
    }

    private static List<String> users(List<Member> members) {
        return members.stream().map(Member::user).sorted().collect(Collectors.toList());
    }

    /** Records presence changes as {@code +user} and {@code -user}. */
    private static final class Changes implements PresenceListener {
        final Recorder<String> seen = new Recorder<>();

        @Override
        public void onJoin(RoomId room, Member member) {
            seen.add("+" + member.user());
        }

        @Override
        public void onLeave(RoomId room, Member member) {
            seen.add("-" + member.user());
        }
    }

    @Test
    void joinedMembersAreListedPerRoom() {
        join(store.join(room("a"), member("alice", "gw1")));
        join(store.join(room("a"), member("bob", "gw2")));
        join(store.join(room("b"), member("carol", "gw1")));
        assertThat(users(join(store.members(room("a"))))).containsExactly("alice", "bob");
        assertThat(users(join(store.members(room("b"))))).containsExactly("carol");
        assertThat(join(store.members(room("empty")))).isEmpty();
    }

    @Test
    void memberCarriesWhatWasJoined() {
        Member alice = member("alice", "gw1");
        join(store.join(room("a"), alice));
        assertThat(join(store.members(room("a")))).containsExactly(alice);
    }

    @Test
    void joiningAgainDoesNotDuplicate() {
        join(store.join(room("a"), member("alice", "gw1")));
        join(store.join(room("a"), member("alice", "gw1")));
        assertThat(users(join(store.members(room("a"))))).containsExactly("alice");
    }

    @Test
    void leaveRemovesOneConnection() {
        Member alice = member("alice", "gw1");
        join(store.join(room("a"), alice));
        join(store.join(room("a"), member("bob", "gw1")));
        join(store.leave(room("a"), alice.connectionId()));
        join(store.leave(room("a"), "no-such-connection"));
        assertThat(users(join(store.members(room("a"))))).containsExactly("bob");
    }

    @Test
    void listenersGetJoinsAndLeavesOfTheirRoom() {
        Changes a = new Changes();
        Changes b = new Changes();
        store.subscribe(room("a"), a);
        store.subscribe(room("b"), b);
        Member alice = member("alice", "gw1");
        join(store.join(room("a"), alice));
        join(store.join(room("a"), member("bob", "gw2")));
        join(store.leave(room("a"), alice.connectionId()));
        join(store.join(room("b"), member("fence", "gw1")));
        assertThat(a.seen.awaitSize(3)).containsExactly("+alice", "+bob", "-alice");
        assertThat(b.seen.awaitSize(1)).containsExactly("+fence");
    }

    @Test
    void closedListenerGetsNothingMore() {
        Changes closed = new Changes();
        Changes witness = new Changes();
        Subscription sub = store.subscribe(room("a"), closed);
        store.subscribe(room("a"), witness);
        join(store.join(room("a"), member("alice", "gw1")));
        closed.seen.awaitSize(1);
        sub.close();
        sub.close();
        join(store.join(room("a"), member("bob", "gw1")));
        witness.seen.awaitSize(2);
        assertThat(closed.seen.snapshot()).containsExactly("+alice");
    }

    @Test
    void membersOfASilentGatewayExpireAndListenersHearTheLeave() {
        Changes changes = new Changes();
        store.subscribe(room("a"), changes);
        Member alive = member("alive", "gw-alive");
        join(store.join(room("a"), member("silent", "gw-silent")));
        join(store.join(room("a"), alive));
        ScheduledExecutorService heart = Executors.newSingleThreadScheduledExecutor();
        try {
            long beat = Math.max(10, presenceTtl().toMillis() / 15);
            heart.scheduleAtFixedRate(() -> store.heartbeat(alive.gatewayId()), 0, beat, TimeUnit.MILLISECONDS);
            ContractSupport.eventually().until(() -> users(join(store.members(room("a")))).equals(List.of("alive")));
            changes.seen.awaitAny("-silent"::equals);
            assertThat(changes.seen.snapshot()).containsExactly("+silent", "+alive", "-silent");
        } finally {
            heart.shutdownNow();
        }
    }
}
