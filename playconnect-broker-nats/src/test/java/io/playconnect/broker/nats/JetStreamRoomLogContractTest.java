package io.playconnect.broker.nats;

import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.RoomLogConfig;
import io.playconnect.testkit.RoomLogContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The RoomLogContract suite against a real NATS server; each broker in a tenant of its own. */
class JetStreamRoomLogContractTest extends RoomLogContract {
    @RegisterExtension
    static final NatsServerExtension NATS = new NatsServerExtension();

    @Override
    protected Broker newBroker(RoomLogConfig logConfig) {
        return NATS.broker(logConfig);
    }
}
