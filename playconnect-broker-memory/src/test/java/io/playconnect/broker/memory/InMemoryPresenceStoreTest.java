package io.playconnect.broker.memory;

import io.playconnect.core.RoomId;
import io.playconnect.core.spi.Member;
import io.playconnect.core.spi.PresenceStore.PresenceListener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Presence with a clock the test moves and a sweeper that only runs when the test calls it. */
class InMemoryPresenceStoreTest {
    private static final RoomId ROOM = RoomId.of("game", "1");
    private final ManualClock clock = new ManualClock();
    private final InMemoryPresenceStore store = InMemoryPresenceStore.newBuilder().ttl(Duration.ofSeconds(10))
            .clock(clock).sweepInterval(Duration.ofHours(1)).build();
    private final List<String> changes = new ArrayList<>();

    @AfterEach
    void close() {
        store.close();
    }

    private static Member member(String user, String gateway) {
        return new Member(user, user + "-conn", "mqtt", gateway, 0);
    }

    private void listen() {
        store.subscribe(ROOM, new PresenceListener() {
            @Override
            public void onJoin(RoomId room, Member member) {
                changes.add("+" + member.user());
            }

            @Override
            public void onLeave(RoomId room, Member member) {
                changes.add("-" + member.user());
            }
        });
    }

    @Test
    void expiredEntryLeavesTheListAtOnceAndIsAnnouncedBySweep() {
        listen();
        store.join(ROOM, member("a", "gw")).join();
        clock.advance(Duration.ofMillis(9_999));
        assertThat(store.members(ROOM).join()).hasSize(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(store.members(ROOM).join()).isEmpty();
        assertThat(changes).containsExactly("+a");
        store.sweep();
        assertThat(changes).containsExactly("+a", "-a");
        store.sweep();
        assertThat(changes).containsExactly("+a", "-a");
    }

    @Test
    void heartbeatRefreshesOnlyItsGateway() {
        store.join(ROOM, member("a", "gw-1")).join();
        store.join(ROOM, member("b", "gw-2")).join();
        clock.advance(Duration.ofSeconds(8));
        store.heartbeat("gw-2").join();
        clock.advance(Duration.ofSeconds(8));
        assertThat(store.members(ROOM).join()).extracting(Member::user).containsExactly("b");
    }

    @Test
    void heartbeatAfterExpiryDoesNotBringAMemberBack() {
        listen();
        store.join(ROOM, member("a", "gw")).join();
        clock.advance(Duration.ofSeconds(11));
        store.heartbeat("gw").join();
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.members(ROOM).join()).isEmpty();
        assertThat(changes).containsExactly("+a", "-a");
    }

    @Test
    void rejoiningAfterExpiryIsALeaveThenAJoin() {
        listen();
        store.join(ROOM, member("a", "gw")).join();
        clock.advance(Duration.ofSeconds(11));
        store.join(ROOM, member("a", "gw")).join();
        assertThat(changes).containsExactly("+a", "-a", "+a");
        assertThat(store.members(ROOM).join()).hasSize(1);
    }

    @Test
    void leaveOfAnExpiredButUnsweptEntryIsStillAnnouncedOnce() {
        listen();
        store.join(ROOM, member("a", "gw")).join();
        clock.advance(Duration.ofSeconds(11));
        store.leave(ROOM, "a-conn").join();
        store.sweep();
        assertThat(changes).containsExactly("+a", "-a");
    }

    @Test
    void emptyRoomsWithoutListenersAreForgotten() {
        store.join(ROOM, member("a", "gw")).join();
        store.leave(ROOM, "a-conn").join();
        store.sweep();
        assertThat(store.rooms()).isZero();
        store.join(ROOM, member("b", "gw")).join();
        assertThat(store.members(ROOM).join()).extracting(Member::user).containsExactly("b");
    }

    @Test
    void throwingListenerDoesNotStopOthers() {
        store.subscribe(ROOM, new PresenceListener() {
            @Override
            public void onJoin(RoomId room, Member member) {
                throw new IllegalStateException("listener failure (expected by the test)");
            }
        });
        listen();
        store.join(ROOM, member("a", "gw")).join();
        assertThat(changes).containsExactly("+a");
        assertThat(store.listenerFailures()).isEqualTo(1);
    }

    @Test
    void defaultListenerMethodsDoNothing() {
        store.subscribe(ROOM, new PresenceListener() { });
        store.join(ROOM, member("a", "gw")).join();
        store.leave(ROOM, "a-conn").join();
        assertThat(store.listenerFailures()).isZero();
    }

    @Test
    void badSettingsAndArgumentsAreRefused() {
        assertThatThrownBy(() -> InMemoryPresenceStore.newBuilder().ttl(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
        assertThatThrownBy(() -> InMemoryPresenceStore.newBuilder().clock(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("clock");
        assertThatThrownBy(() -> InMemoryPresenceStore.newBuilder().sweepInterval(Duration.ofNanos(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sweepInterval");
        assertThat(store.join(null, member("a", "gw")).isCompletedExceptionally()).isTrue();
        assertThat(store.join(ROOM, null).isCompletedExceptionally()).isTrue();
        assertThat(store.heartbeat(null).isCompletedExceptionally()).isTrue();
        assertThat(store.ttl()).isEqualTo(Duration.ofSeconds(10));
    }
}
