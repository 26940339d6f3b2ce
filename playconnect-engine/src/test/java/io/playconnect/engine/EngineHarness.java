package io.playconnect.engine;

import io.playconnect.broker.memory.InMemoryBroker;
import io.playconnect.core.Command;
import io.playconnect.core.CommandResult;
import io.playconnect.core.CommandSender;
import io.playconnect.core.Origin;
import io.playconnect.core.RoomId;
import io.playconnect.core.RoomSnapshot;
import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.RoomLogConfig;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** A broker and an engine on it, plus helpers to send commands the way a gateway does. */
final class EngineHarness implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    final Broker broker;
    SyncEngine engine;
    CommandSender sender;

    EngineHarness(RoomLogConfig logConfig, UnaryOperator<SyncEngine.Builder> custom) {
        this.broker = InMemoryBroker.newBuilder().roomLogConfig(logConfig).build();
        startEngine(custom);
    }

    EngineHarness() {
        this(RoomLogConfig.defaults(), b -> b);
    }

    /** Starts a (new) engine on the same broker, as after a restart of the engine process. */
    void startEngine(UnaryOperator<SyncEngine.Builder> custom) {
        engine = custom.apply(SyncEngine.newBuilder().broker(broker).partitions(4)).build();
        engine.start().join();
        sender = new CommandSender(broker, CommandSender.readPartitioner(broker).join());
    }

    /** Drains the engine (snapshots at head, leases released) and starts a fresh one. */
    void restartEngine(UnaryOperator<SyncEngine.Builder> custom) {
        engine.drain().join();
        engine.close();
        startEngine(custom);
    }

    static Command command(String room, String type, String payload, String user, String correlationId) {
        return new Command(RoomId.parse(room), type, payload.getBytes(StandardCharsets.UTF_8), correlationId,
                new Origin("test", user), null);
    }

    CommandResult send(Command c) {
        return sender.send(c, TIMEOUT).join();
    }

    CommandResult send(String room, String type, String payload, String user, String correlationId) {
        return send(command(room, type, payload, user, correlationId));
    }

    RoomSnapshot state(String room) {
        return sender.fetchState(RoomId.parse(room), TIMEOUT).join();
    }

    String stateJson(String room) {
        return new String(state(room).state(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        engine.close();
        broker.close();
    }
}
