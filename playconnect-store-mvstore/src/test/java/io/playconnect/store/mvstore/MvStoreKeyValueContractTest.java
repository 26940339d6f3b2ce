package io.playconnect.store.mvstore;

import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.RoomLogConfig;
import io.playconnect.testkit.KeyValueContract;

class MvStoreKeyValueContractTest extends KeyValueContract {
    @Override
    protected Broker newBroker(RoomLogConfig logConfig) {
        return MvStoreBroker.newBuilder().directory(Directories.fresh()).roomLogConfig(logConfig).build();
    }
}
