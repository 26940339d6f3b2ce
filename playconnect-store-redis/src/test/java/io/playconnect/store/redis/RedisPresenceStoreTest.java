package io.playconnect.store.redis;

import io.playconnect.core.RoomId;
import io.playconnect.core.spi.BrokerException;
import io.playconnect.core.spi.BrokerException.Reason;
import io.playconnect.core.spi.Member;
import io.playconnect.core.spi.PresenceStore.PresenceListener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Presence across gateways: stores on one Redis and prefix stand for gateway processes. What the
 * contract suite cannot see from one store: other processes hear changes, every join is followed
 * by exactly one leave however many sweepers run, and nothing is left behind in Redis.
 */
class RedisPresenceStoreTest {
    private static final Duration TTL = Duration.ofMillis(800);
    private static final Duration PATIENCE = Duration.ofSeconds(15);
    private static RedisServer server;
    private final List<RedisPresenceStore> stores = new ArrayList<>();
    private String prefix;
    private final RoomId room = RoomId.of("game", "presence");

    @BeforeAll
    static void connect() {
        server = RedisServer.require();
    }

    @AfterAll
    static void disconnect() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void newPrefix() {
        prefix = server.newPrefix();
    }

    @AfterEach
    void cleanUp() {
        stores.forEach(RedisPresenceStore::close);
        server.deleteKeys();
    }

    private RedisPresenceStore gateway() {
        RedisPresenceStore s = RedisPresenceStore.newBuilder().uri(RedisServer.uri()).keyPrefix(prefix).ttl(TTL).build();
        stores.add(s);
        return s;
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("expected success, got " + e, e);
        }
    }

    private static Member member(String user, String conn, String gateway) {
        return new Member(user, conn, "websocket", gateway, 1_700_000_000_000L);
    }

    /** Records changes as +user / -user. */
    private static final class Changes implements PresenceListener {
        final List<String> seen = new ArrayList<>();

        @Override
        public synchronized void onJoin(RoomId room, Member member) {
            seen.add("+" + member.user());
        }

        @Override
        public synchronized void onLeave(RoomId room, Member member) {
            seen.add("-" + member.user());
        }

        synchronized List<String> snapshot() {
            return List.copyOf(seen);
        }

        List<String> await(int n) {
            Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(10)).until(() -> snapshot().size() >= n);
            return snapshot();
        }
    }

    @Test
    void everyGatewayHearsChangesMadeOnAnother() {
        RedisPresenceStore a = gateway();
        RedisPresenceStore b = gateway();
        Changes atB = new Changes();
        b.subscribe(room, atB);
        join(a.join(room, member("alice", "c1", "gw-a")));
        join(b.join(room, member("bob", "c2", "gw-b")));
        join(a.leave(room, "c1"));
        assertThat(atB.await(3)).containsExactly("+alice", "+bob", "-alice");
        assertThat(join(b.members(room))).extracting(Member::user).containsExactly("bob");
    }

    @Test
    void expiryIsAnnouncedOnceWhateverNumberOfSweepers() {
        RedisPresenceStore a = gateway();
        RedisPresenceStore b = gateway();
        gateway();
        Changes atA = new Changes();
        Changes atB = new Changes();
        a.subscribe(room, atA);
        b.subscribe(room, atB);
        join(a.join(room, member("silent", "c1", "gw-silent")));
        assertThat(atB.await(2)).containsExactly("+silent", "-silent");
        join(b.join(room, member("fence", "c2", "gw-b")));
        assertThat(atA.await(3)).containsExactly("+silent", "-silent", "+fence");
        assertThat(atB.await(3)).containsExactly("+silent", "-silent", "+fence");
    }

    @Test
    void aConnectionThatMovedToAnotherGatewayIsNoLongerKeptAliveByTheOldOne() {
        RedisPresenceStore a = gateway();
        Changes changes = new Changes();
        a.subscribe(room, changes);
        join(a.join(room, member("alice", "c1", "gw-old")));
        join(a.join(room, member("alice", "c1", "gw-new")));
        join(a.join(room, member("bob", "c2", "gw-old")));
        long until = System.nanoTime() + TTL.multipliedBy(3).toNanos();
        Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> {
            join(a.heartbeat("gw-old"));
            return System.nanoTime() > until;
        });
        assertThat(changes.snapshot()).containsExactly("+alice", "+bob", "-alice");
        assertThat(join(a.members(room))).extracting(Member::user).containsExactly("bob");
    }

    @Test
    void nothingIsLeftInRedisOnceEveryoneLeftOrExpired() {
        RedisPresenceStore a = gateway();
        join(a.join(room, member("alice", "c1", "gw")));
        join(a.join(room, member("bob", "c2", "gw")));
        join(a.join(RoomId.of("chat", "other"), member("carol", "c3", "gw2")));
        assertThat(server.keys(prefix)).isNotEmpty();
        join(a.leave(room, "c1"));
        Awaitility.await().atMost(PATIENCE).until(() -> server.keys(prefix).isEmpty());
    }

    @Test
    void membersRoundTripWhateverTheirFields() {
        RedisPresenceStore a = gateway();
        long seed = new SplittableRandom().nextLong();
        SplittableRandom random = new SplittableRandom(seed);
        List<Member> joined = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Member m = new Member(text(random), "conn-" + i + text(random), text(random), text(random), random.nextLong());
            joined.add(m);
            join(a.join(room, m));
            assertThat(MemberCodec.decode(MemberCodec.encode(m))).as("seed %d", seed).isEqualTo(m);
        }
        assertThat(join(a.members(room))).as("seed %d", seed).containsExactlyInAnyOrderElementsOf(joined);
    }

    private static String text(SplittableRandom random) {
        int[] alphabet = "ab \\\n\r\t:{}\"'é😀 ".codePoints().toArray();
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(8);
        for (int i = 0; i < n; i++) {
            sb.appendCodePoint(alphabet[random.nextInt(alphabet.length)]);
        }
        return sb.toString();
    }

    @Test
    void badArgumentsAndAClosedStoreAreTypedErrors() throws Exception {
        RedisPresenceStore a = gateway();
        assertThat(failure(a.join(null, member("a", "c", "g")))).isInstanceOf(NullPointerException.class);
        assertThat(failure(a.join(room, null))).isInstanceOf(NullPointerException.class);
        assertThat(failure(a.leave(room, null))).isInstanceOf(NullPointerException.class);
        assertThat(failure(a.heartbeat(null))).isInstanceOf(NullPointerException.class);
        a.close();
        assertThat(failure(a.members(room))).isInstanceOfSatisfying(BrokerException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE));
    }

    @Test
    void builderNamesTheBadParameterAndAnUnreachableRedisIsUnavailable() {
        refused("keyPrefix", b -> b.keyPrefix("a b"));
        refused("ttl", b -> b.ttl(Duration.ZERO));
        refused("sweepInterval", b -> b.sweepInterval(Duration.ofMillis(-1)));
        refused("commandTimeout", b -> b.commandTimeout(Duration.ZERO));
        refused("uri", b -> b.uri(null));
        assertThatThrownBy(() -> RedisPresenceStore.newBuilder().uri("redis://127.0.0.1:1").build())
                .isInstanceOfSatisfying(BrokerException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE));
    }

    private static void refused(String parameter, Consumer<RedisPresenceStore.Builder> set) {
        assertThatThrownBy(() -> set.accept(RedisPresenceStore.newBuilder())).as(parameter)
                .isInstanceOfAny(IllegalArgumentException.class, NullPointerException.class)
                .hasMessageContaining(parameter);
    }

    private static Throwable failure(CompletableFuture<?> f) throws Exception {
        try {
            f.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected a failure");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }
}
