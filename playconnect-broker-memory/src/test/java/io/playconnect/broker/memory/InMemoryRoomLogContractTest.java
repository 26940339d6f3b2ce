package io.playconnect.broker.memory;

import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.RoomLogConfig;
import io.playconnect.testkit.RoomLogContract;

class InMemoryRoomLogContractTest extends RoomLogContract {
    @Override
    protected Broker newBroker(RoomLogConfig logConfig) {
        return InMemoryBroker.newBuilder().roomLogConfig(logConfig).build();
    }
}
