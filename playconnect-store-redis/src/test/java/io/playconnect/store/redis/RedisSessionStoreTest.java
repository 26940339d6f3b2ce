package io.playconnect.store.redis;

import io.playconnect.core.spi.BrokerException;
import io.playconnect.core.spi.BrokerException.Reason;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where sessions live in Redis and how they expire there; refusals of bad settings. */
class RedisSessionStoreTest {
    private static RedisServer server;

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

    @AfterEach
    void cleanUp() {
        server.deleteKeys();
    }

    @Test
    void aSessionIsOneKeyThatRedisExpires() throws Exception {
        String prefix = server.newPrefix();
        try (RedisSessionStore store = RedisSessionStore.newBuilder().uri(RedisServer.uri()).keyPrefix(prefix).build()) {
            store.save("s-1", "state".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(5)).get(10, TimeUnit.SECONDS);
            String key = "{" + prefix + "}:session:s-1";
            assertThat(server.keys(prefix)).containsExactly(key);
            assertThat(server.commands().pttl(key)).isBetween(1L, Duration.ofMinutes(5).toMillis());
            assertThat(server.commands().get(key)).isEqualTo("state");
            store.delete("s-1").get(10, TimeUnit.SECONDS);
            assertThat(server.keys(prefix)).isEmpty();
        }
    }

    @Test
    void closedStoreIsUnavailableAndBadSettingsAreRefused() throws Exception {
        RedisSessionStore store = RedisSessionStore.newBuilder().uri(RedisServer.uri()).keyPrefix(server.newPrefix()).build();
        store.close();
        store.close();
        assertThatThrownBy(() -> store.load("x").get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(BrokerException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE));
        assertThatThrownBy(() -> RedisSessionStore.newBuilder().keyPrefix("")).hasMessageContaining("keyPrefix");
        assertThatThrownBy(() -> RedisSessionStore.newBuilder().uri("http://x")).hasMessageContaining("uri");
        assertThatThrownBy(() -> RedisSessionStore.newBuilder().uri("redis://127.0.0.1:1").build())
                .isInstanceOfSatisfying(BrokerException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE));
    }
}
