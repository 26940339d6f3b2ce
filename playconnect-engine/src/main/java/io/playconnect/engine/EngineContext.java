package io.playconnect.engine;

import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.KeyValue;
import io.playconnect.core.trace.Tracing;

import java.time.Clock;

/** What partitions share: passed down once instead of the whole engine. */
record EngineContext(Broker broker, KeyValue snapshotBucket, EngineConfig config, EngineListener listener,
                     Clock clock, RoomLogics logics, System.Logger log,
                     Tracing tracing) {
}
