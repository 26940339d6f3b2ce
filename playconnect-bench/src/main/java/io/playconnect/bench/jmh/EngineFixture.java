package io.playconnect.bench.jmh;

import io.playconnect.broker.memory.InMemoryBroker;
import io.playconnect.core.Command;
import io.playconnect.core.CommandResult;
import io.playconnect.core.CommandSender;
import io.playconnect.core.Origin;
import io.playconnect.core.RoomId;
import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.RoomLogConfig;
import io.playconnect.engine.SyncEngine;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** One in-process broker and a one-partition engine: the embedded mode, measured end to end. */
final class EngineFixture implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    final Broker broker;
    final SyncEngine engine;
    final CommandSender sender;

    EngineFixture() {
        broker = InMemoryBroker.newBuilder().roomLogConfig(RoomLogConfig.newBuilder()
                .maxRecordsPerRoom(10_000).build()).build();
        engine = SyncEngine.newBuilder().broker(broker).partitions(1).build();
        engine.start().join();
        sender = new CommandSender(broker, CommandSender.readPartitioner(broker).join());
    }

    static Command command(RoomId room, String type, byte[] payload, String user, String correlationId) {
        return new Command(room, type, payload, correlationId, new Origin("bench", user), null);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    CompletableFuture<CommandResult> send(Command c) {
        return sender.send(c, TIMEOUT);
    }

    /** Fails the benchmark loudly if a command it expects to pass was refused. */
    static void expectAccepted(CommandResult r) {
        if (!(r instanceof CommandResult.Accepted)) {
            throw new IllegalStateException("benchmark command refused: " + r);
        }
    }

    @Override
    public void close() {
        engine.close();
        broker.close();
    }
}
