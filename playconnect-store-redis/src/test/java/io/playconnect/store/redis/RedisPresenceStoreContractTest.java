package io.playconnect.store.redis;

import io.playconnect.core.spi.PresenceStore;
import io.playconnect.testkit.PresenceStoreContract;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The PresenceStoreContract suite against a real Redis; each store under a key prefix of its own. */
class RedisPresenceStoreContractTest extends PresenceStoreContract {
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

    @Override
    protected PresenceStore newPresenceStore(Duration ttl) {
        return RedisPresenceStore.newBuilder().uri(RedisServer.uri()).keyPrefix(server.newPrefix()).ttl(ttl).build();
    }

    @AfterEach
    void deleteKeys() {
        server.deleteKeys();
    }
}
