package io.playconnect.broker.memory;

import io.playconnect.core.spi.PresenceStore;
import io.playconnect.testkit.PresenceStoreContract;

import java.time.Duration;

class InMemoryPresenceStoreContractTest extends PresenceStoreContract {
    @Override
    protected PresenceStore newPresenceStore(Duration ttl) {
        return InMemoryPresenceStore.newBuilder().ttl(ttl).build();
    }
}
