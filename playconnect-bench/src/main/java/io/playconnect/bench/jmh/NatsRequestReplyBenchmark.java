package io.playconnect.bench.jmh;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The peer for {@link EngineSubmitToAckBenchmark}: a bare request-reply round trip through the
 * machine's own nats-server (127.0.0.1:4222), with a responder that only echoes, the same window of
 * 256 in flight and the same payload size as a chat command. It bounds what any broker-based
 * submit-to-ack can reach here; the engine's figure is read as a ratio to it.
 *
 * <pre>java -jar playconnect-bench/target/benchmarks.jar NatsRequestReply</pre>
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 5)
public class NatsRequestReplyBenchmark {
    private static final byte[] COMMAND = ("{\"room\":\"chat.r1\",\"type\":\"chat.message\",\"correlationId\":\"123456\","
            + "\"traceparent\":null,\"origin\":{\"protocol\":\"bench\",\"user\":\"u1\"},\"payload\":{\"text\":\"hello, room\"}}")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] ACK = "{\"ok\":true,\"epoch\":\"0123456789abcdef\",\"seq\":123456}"
            .getBytes(StandardCharsets.UTF_8);
    private Connection responderConnection;
    private Connection requesterConnection;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Options options = Options.builder().server(System.getProperty("nats.url", "nats://127.0.0.1:4222"))
                .connectionTimeout(Duration.ofSeconds(5)).build();
        responderConnection = Nats.connect(options);
        requesterConnection = Nats.connect(options);
        Dispatcher d = responderConnection.createDispatcher(m -> responderConnection.publish(m.getReplyTo(), ACK));
        d.subscribe("bench.cmd.0", "bench-engine");
        responderConnection.flush(Duration.ofSeconds(5));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        requesterConnection.close();
        responderConnection.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(EngineSubmitToAckBenchmark.WINDOW)
    public void throughput() {
        @SuppressWarnings("unchecked")
        CompletableFuture<Message>[] inFlight = new CompletableFuture[EngineSubmitToAckBenchmark.WINDOW];
        for (int i = 0; i < inFlight.length; i++) {
            inFlight[i] = requesterConnection.request("bench.cmd.0", COMMAND);
        }
        for (CompletableFuture<Message> f : inFlight) {
            f.join();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Message latency() {
        return requesterConnection.request("bench.cmd.0", COMMAND).join();
    }
}
