package io.playconnect.testkit;

import io.playconnect.core.spi.SessionStore;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.playconnect.testkit.ContractSupport.bytes;
import static io.playconnect.testkit.ContractSupport.failureOf;
import static io.playconnect.testkit.ContractSupport.join;
import static org.assertj.core.api.Assertions.assertThat;

/** A {@link SessionStore}: save, load, delete and expiry. Every test uses session ids of its own. */
public abstract class SessionStoreContract {
    /** Short enough that the expiry tests take about a second. */
    protected static final Duration SHORT_TTL = Duration.ofMillis(500);
    private static final Duration LONG_TTL = Duration.ofMinutes(10);
    protected SessionStore store;
    private String prefix;

    /** A new, empty-for-this-test store. */
    protected abstract SessionStore newSessionStore();

    /** Releases the store; the default closes it when it is {@link AutoCloseable}. */
    protected void closeSessionStore(SessionStore store) throws Exception {
        if (store instanceof AutoCloseable) {
            ((AutoCloseable) store).close();
        }
    }

    @BeforeEach
    void openStore() {
        store = newSessionStore();
        prefix = "s" + ContractSupport.unique();
    }

    @AfterEach
    void closeStore() throws Exception {
        closeSessionStore(store);
    }

    protected String session(String name) {
        return prefix + "-" + name;
    }

    private String load(String name) {
        return join(store.load(session(name))).map(ContractSupport::text).orElse(null);
    }

    @Test
    void absentSessionLoadsEmpty() {
        assertThat(join(store.load(session("missing")))).isEmpty();
    }

    @Test
    void saveThenLoadThenOverwrite() {
        join(store.save(session("a"), bytes("v1"), LONG_TTL));
        assertThat(load("a")).isEqualTo("v1");
        join(store.save(session("a"), bytes("v2"), LONG_TTL));
        assertThat(load("a")).isEqualTo("v2");
        assertThat(load("b")).isNull();
    }

    @Test
    void deleteRemoves() {
        join(store.save(session("a"), bytes("v"), LONG_TTL));
        join(store.delete(session("a")));
        join(store.delete(session("never")));
        assertThat(join(store.load(session("a")))).isEmpty();
    }

    @Test
    void storedStateIsACopy() {
        byte[] state = bytes("original");
        join(store.save(session("a"), state, LONG_TTL));
        state[0] = 'X';
        Optional<byte[]> loaded = join(store.load(session("a")));
        assertThat(loaded.map(ContractSupport::text)).hasValue("original");
        loaded.orElseThrow()[0] = 'Y';
        assertThat(load("a")).isEqualTo("original");
    }

    @Test
    void sessionExpiresAfterItsTtlUnlessSavedAgain() {
        long start = System.nanoTime();
        join(store.save(session("short"), bytes("s"), SHORT_TTL));
        join(store.save(session("renewed"), bytes("r1"), SHORT_TTL));
        join(store.save(session("renewed"), bytes("r2"), LONG_TTL));
        String fresh = load("short");
        if (Duration.ofNanos(System.nanoTime() - start).compareTo(SHORT_TTL) < 0) {
            assertThat(fresh).isEqualTo("s");
        }
        ContractSupport.eventually().until(() -> load("short") == null);
        assertThat(load("renewed")).isEqualTo("r2");
        join(store.save(session("short"), bytes("again"), LONG_TTL));
        assertThat(load("short")).isEqualTo("again");
    }

    /** An MQTT session keeps in-flight publishes with their payloads: states of a few MiB, binary. */
    @Test
    void largeBinaryStatesRoundTripAndLongTtlsAreKept() {
        byte[] big = new byte[4 * 1024 * 1024];
        new java.util.SplittableRandom(7).nextBytes(big);
        join(store.save(session("big"), big, Duration.ofDays(2)));
        assertThat(join(store.load(session("big")))).hasValueSatisfying(v -> assertThat(v).isEqualTo(big));
        join(store.save(session("big"), new byte[] {0, -1, 2}, Duration.ofDays(2)));
        assertThat(join(store.load(session("big")))).hasValueSatisfying(v -> assertThat(v).containsExactly(0, -1, 2));
    }

    @Test
    void badArgumentsAreRefused() {
        assertThat(failureOf(() -> store.save(session("a"), bytes("x"), Duration.ZERO)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(failureOf(() -> store.save(session("a"), bytes("x"), Duration.ofSeconds(-1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(failureOf(() -> store.save("", bytes("x"), LONG_TTL))).isInstanceOf(IllegalArgumentException.class);
        assertThat(failureOf(() -> store.save(session("a"), null, LONG_TTL))).isInstanceOf(NullPointerException.class);
        assertThat(failureOf(() -> store.load(null))).isInstanceOf(NullPointerException.class);
        assertThat(join(store.load(session("a")))).isEmpty();
    }
}
