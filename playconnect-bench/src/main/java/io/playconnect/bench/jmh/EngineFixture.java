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

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** One in-process broker and a one-partition engine: the embedded mode, measured end to end. */
final class EngineFixture implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    final Broker broker;
    final SyncEngine engine;
    final CommandSender sender;
    private final long partitionThreadId;
    private final long cpuAtStart;
    private long sent;

    EngineFixture() {
        broker = InMemoryBroker.newBuilder().roomLogConfig(RoomLogConfig.newBuilder()
                .maxRecordsPerRoom(10_000).build()).build();
        engine = SyncEngine.newBuilder().broker(broker).partitions(1).build();
        engine.start().join();
        sender = new CommandSender(broker, CommandSender.readPartitioner(broker).join());
        partitionThreadId = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("pc-partition-0")).findFirst().orElseThrow().getId();
        cpuAtStart = THREADS.getThreadCpuTime(partitionThreadId);
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /**
     * The partition thread's CPU time per command over the whole trial. Unlike ops/s, it hardly
     * moves when other processes share the cores, and 1/it is the partition's ceiling on a free core.
     */
    String partitionCpuReport() {
        long cpu = THREADS.getThreadCpuTime(partitionThreadId) - cpuAtStart;
        double perCommand = sent == 0 ? 0 : cpu / 1000.0 / sent;
        return String.format("partition thread CPU: %.2f µs per command over %,d commands (ceiling %,.0f commands/s)",
                perCommand, sent, perCommand == 0 ? 0 : 1_000_000 / perCommand);
    }

    static Command command(RoomId room, String type, byte[] payload, String user, String correlationId) {
        return new Command(room, type, payload, correlationId, new Origin("bench", user), null);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    CompletableFuture<CommandResult> send(Command c) {
        sent++;
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
