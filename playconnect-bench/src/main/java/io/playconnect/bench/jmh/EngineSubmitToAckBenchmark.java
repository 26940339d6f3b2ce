package io.playconnect.bench.jmh;

import io.playconnect.core.Command;
import io.playconnect.core.CommandResult;
import io.playconnect.core.RoomId;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Submit-to-ack through the in-process broker on ONE partition, per room kind: {@code throughput}
 * keeps a window of commands in flight (as many clients would), {@code latency} sends one at a
 * time and samples each round trip (JMH reports p50/p99/p99.9).
 *
 * <pre>java -jar playconnect-bench/target/benchmarks.jar EngineSubmitToAck -rf json</pre>
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 5)
public class EngineSubmitToAckBenchmark {
    static final int WINDOW = 256;

    @Param({"chat", "doc", "game"})
    public String kind;

    private EngineFixture fixture;
    private Workload workload;
    /** The commands in flight, oldest at {@code cursor}: a sliding window, never drained between calls. */
    @SuppressWarnings("unchecked")
    private final CompletableFuture<CommandResult>[] inFlight = new CompletableFuture[WINDOW];
    private int cursor;

    @Setup(Level.Trial)
    public void setUp() {
        fixture = new EngineFixture();
        workload = Workload.of(kind);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (CompletableFuture<CommandResult> f : inFlight) {
            if (f != null) {
                EngineFixture.expectAccepted(f.join());
            }
        }
        System.out.println(kind + ": " + fixture.partitionCpuReport());
        fixture.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(WINDOW)
    public void throughput() {
        // A new command waits for the one sent WINDOW commands before it, so the partition never
        // runs dry between invocations as a send-all-then-join-all batch would. When that one is
        // not done yet, the sender waits for half the window at once: waking the sender per
        // command would charge the partition's thread a wake-up for every ack.
        for (int i = 0; i < WINDOW; i++) {
            CompletableFuture<CommandResult> oldest = inFlight[cursor];
            if (oldest != null) {
                if (!oldest.isDone()) {
                    inFlight[(cursor + WINDOW / 2) % WINDOW].join();
                }
                EngineFixture.expectAccepted(oldest.join());
            }
            inFlight[cursor] = fixture.send(workload.next());
            cursor = (cursor + 1) % WINDOW;
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public CommandResult latency() {
        CommandResult r = fixture.send(workload.next()).join();
        EngineFixture.expectAccepted(r);
        return r;
    }

    /** An endless supply of commands the engine accepts. */
    interface Workload {
        Command next();

        static Workload of(String kind) {
            switch (kind) {
                case "chat":
                    return new ChatWorkload();
                case "doc":
                    return new DocWorkload();
                case "game":
                    return new GameWorkload();
                default:
                    throw new IllegalArgumentException("kind must be chat, doc or game: " + kind);
            }
        }
    }

    /** Chat messages spread over 64 rooms of the one partition. */
    static final class ChatWorkload implements Workload {
        private final RoomId[] rooms = new RoomId[64];
        private final byte[] payload = EngineFixture.utf8("{\"text\":\"hello, room\"}");
        private long n;

        ChatWorkload() {
            for (int i = 0; i < rooms.length; i++) {
                rooms[i] = RoomId.of("chat", "r" + i);
            }
        }

        @Override
        public Command next() {
            long i = n++;
            return EngineFixture.command(rooms[(int) (i & 63)], "chat.message", payload, "u" + (i & 7), Long.toString(i));
        }
    }

    /** Writes to 100 keys of 64 documents, each with a fresh hybrid clock. */
    static final class DocWorkload implements Workload {
        private final RoomId[] rooms = new RoomId[64];
        private long n;

        DocWorkload() {
            for (int i = 0; i < rooms.length; i++) {
                rooms[i] = RoomId.of("doc", "d" + i);
            }
        }

        @Override
        public Command next() {
            long i = n++;
            String payload = "{\"path\":\"/k" + (i % 100) + "\",\"value\":" + i + ",\"hlc\":{\"t\":"
                    + System.currentTimeMillis() + ",\"c\":" + i + "}}";
            return EngineFixture.command(rooms[(int) (i & 63)], "doc.set", EngineFixture.utf8(payload),
                    "u" + (i & 7), Long.toString(i));
        }
    }

    /**
     * Legal chess moves: a fixed 40-ply game without repetition, played in many rooms at once
     * (each room one ply at a time, round robin, so a window of commands never breaks turn order).
     */
    static final class GameWorkload implements Workload {
        static final String[] GAME = ("e4 e5 Nf3 Nc6 Bb5 a6 Ba4 Nf6 O-O Be7 Re1 b5 Bb3 d6 c3 O-O h3 Nb8 d4 Nbd7 "
                + "c4 c6 cxb5 axb5 Nc3 Bb7 Bg5 b4 Nb1 h6 Bh4 c5 dxe5 Nxe4 Bxe7 Qxe7 exd6 Qf6 Nbd2 Nxd6").split(" ");
        private static final int PARALLEL = 1024;
        private final byte[][] payloads = new byte[GAME.length][];
        private final RoomId[] rooms = new RoomId[PARALLEL];
        private final int[] ply = new int[PARALLEL];
        private int generation;
        private int cursor;
        private long n;

        GameWorkload() {
            for (int i = 0; i < GAME.length; i++) {
                payloads[i] = EngineFixture.utf8("{\"move\":\"" + GAME[i] + "\"}");
            }
            for (int i = 0; i < PARALLEL; i++) {
                rooms[i] = RoomId.of("game", "g" + generation + "-" + i);
            }
        }

        @Override
        public Command next() {
            int slot = cursor;
            cursor = (cursor + 1) % PARALLEL;
            if (ply[slot] == GAME.length) {
                ply[slot] = 0;
                rooms[slot] = RoomId.of("game", "g" + (++generation) + "-" + slot);
            }
            int p = ply[slot]++;
            String user = (p & 1) == 0 ? "white" : "black";
            return EngineFixture.command(rooms[slot], "game.move", payloads[p], user, Long.toString(n++));
        }
    }
}
