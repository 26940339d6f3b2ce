package io.playconnect.broker.nats;

import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.RoomLogConfig;
import io.playconnect.testkit.KeyValueContract;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The KeyValueContract suite against a real NATS server; each broker in a tenant of its own. */
class JetStreamKeyValueContractTest extends KeyValueContract {
    private static NatsServer server;

    @BeforeAll
    static void connect() {
        server = NatsServer.require();
    }

    @AfterAll
    static void disconnect() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected Broker newBroker(RoomLogConfig logConfig) {
        return server.broker(logConfig);
    }

    @AfterEach
    void deleteStreams() throws Exception {
        server.deleteTenants();
    }
}
