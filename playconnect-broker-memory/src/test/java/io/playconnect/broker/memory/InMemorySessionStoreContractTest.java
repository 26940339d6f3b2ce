package io.playconnect.broker.memory;

import io.playconnect.core.spi.SessionStore;
import io.playconnect.testkit.SessionStoreContract;

import java.time.Duration;

class InMemorySessionStoreContractTest extends SessionStoreContract {
    @Override
    protected SessionStore newSessionStore() {
        return InMemorySessionStore.newBuilder().sweepInterval(Duration.ofMillis(100)).build();
    }
}
