package io.playconnect.store.redis;

import io.playconnect.core.spi.SessionStore;
import io.playconnect.testkit.SessionStoreContract;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The SessionStoreContract suite against a real Redis; each store under a key prefix of its own. */
class RedisSessionStoreContractTest extends SessionStoreContract {
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
    protected SessionStore newSessionStore() {
        return RedisSessionStore.newBuilder().uri(RedisServer.uri()).keyPrefix(server.newPrefix()).build();
    }

    @AfterEach
    void deleteKeys() {
        server.deleteKeys();
    }
}
