package io.playconnect.edge;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.playconnect.core.RoomId;
import io.playconnect.core.spi.LogRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class OutboundEventTest {
    private static final EncodingKey<String> ONE = EncodingKey.create("one");
    private static final EncodingKey<byte[]> TWO = EncodingKey.create("two");

    @Test
    void concurrentReadersShareOneEncodingPerKey() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EdgeMetrics metrics = new EdgeMetrics(registry);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 50; round++) {
                OutboundEvent e = new OutboundEvent(new LogRecord(RoomId.parse("chat.a"), "ep", round + 1, 0,
                        "{\"x\":1}".getBytes(StandardCharsets.UTF_8)), metrics);
                AtomicInteger encodes = new AtomicInteger();
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Object>> results = new ArrayList<>();
                for (int t = 0; t < 16; t++) {
                    boolean first = t % 2 == 0;
                    results.add(pool.submit(() -> {
                        go.await();
                        return first ? e.encoded(ONE, b -> {
                            encodes.incrementAndGet();
                            return new String(b, StandardCharsets.UTF_8);
                        }) : e.encoded(TWO, b -> {
                            encodes.incrementAndGet();
                            return b.clone();
                        });
                    }));
                }
                go.countDown();
                List<Object> values = new ArrayList<>();
                for (Future<Object> f : results) {
                    values.add(f.get());
                }
                assertThat(encodes.get()).as("round %d", round).isEqualTo(2);
                assertThat(values.stream().filter(v -> v instanceof String).distinct().count()).isEqualTo(1);
                assertThat(values.stream().filter(v -> v instanceof byte[]).map(System::identityHashCode).distinct().count())
                        .isEqualTo(1);
            }
            assertThat(registry.get(EdgeMetrics.ENCODES).tag(EdgeMetrics.TAG_PROTOCOL, "one").counter().count()).isEqualTo(50);
            assertThat(registry.get(EdgeMetrics.ENCODES).tag(EdgeMetrics.TAG_PROTOCOL, "two").counter().count()).isEqualTo(50);
        } finally {
            pool.shutdownNow();
        }
    }
}
