package io.playconnect.broker.memory;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InMemorySessionStoreTest {
    private final ManualClock clock = new ManualClock();
    private final InMemorySessionStore store = InMemorySessionStore.newBuilder().clock(clock)
            .sweepInterval(Duration.ofHours(1)).build();

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void sessionExpiresExactlyAtItsTtl() {
        store.save("s", new byte[] {1}, Duration.ofSeconds(30)).join();
        clock.advance(Duration.ofMillis(29_999));
        assertThat(store.load("s").join()).isPresent();
        clock.advance(Duration.ofMillis(1));
        assertThat(store.load("s").join()).isEmpty();
    }

    @Test
    void sweepFreesExpiredSessionsOnly() {
        store.save("short", new byte[0], Duration.ofSeconds(1)).join();
        store.save("long", new byte[0], Duration.ofDays(365_000_000)).join();
        clock.advance(Duration.ofSeconds(2));
        store.sweep();
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.load("long").join()).isPresent();
    }

    @Test
    void badSettingsAndIdsAreRefused() {
        assertThatThrownBy(() -> InMemorySessionStore.newBuilder().sweepInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sweepInterval");
        assertThatThrownBy(() -> InMemorySessionStore.newBuilder().clock(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("clock");
        String tooLong = "x".repeat(InMemorySessionStore.MAX_SESSION_ID_LENGTH + 1);
        assertThat(store.save(tooLong, new byte[0], Duration.ofSeconds(1)).isCompletedExceptionally()).isTrue();
        assertThat(store.delete(null).isCompletedExceptionally()).isTrue();
    }
}
