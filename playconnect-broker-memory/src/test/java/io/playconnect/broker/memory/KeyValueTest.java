package io.playconnect.broker.memory;

import io.playconnect.core.spi.BrokerException;
import io.playconnect.core.spi.BrokerException.Reason;
import io.playconnect.core.spi.KeyValue;
import io.playconnect.core.spi.KeyValueConfig;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Key-value buckets with a clock the test moves. */
class KeyValueTest {
    private final ManualClock clock = new ManualClock();
    private final InMemoryBroker broker = InMemoryBroker.newBuilder().clock(clock).build();

    @AfterEach
    void close() {
        broker.close();
    }

    private static Reason reasonOf(CompletableFuture<?> f) {
        return BrokerException.reasonOf(f.handle((v, e) -> e).join());
    }

    private KeyValue leases() {
        return broker.keyValue(KeyValueConfig.newBuilder("leases").ttl(Duration.ofSeconds(10)).build());
    }

    @Test
    void entryExpiresExactlyAtTheTtlCountedFromItsLastWrite() {
        KeyValue kv = leases();
        long rev = kv.create("p-1", new byte[] {1}).join();
        clock.advance(Duration.ofSeconds(6));
        long renewed = kv.update("p-1", new byte[] {2}, rev).join();
        clock.advance(Duration.ofMillis(9_999));
        assertThat(kv.get("p-1").join()).isPresent();
        clock.advance(Duration.ofMillis(1));
        assertThat(kv.get("p-1").join()).isEmpty();
        assertThat(kv.keys().join()).isEmpty();
        assertThat(reasonOf(kv.update("p-1", new byte[] {3}, renewed))).isEqualTo(Reason.KEY_EXISTS_OR_STALE);
        assertThat(kv.create("p-1", new byte[] {4}).join()).isGreaterThan(renewed);
    }

    @Test
    void createdMillisIsTheWriteTime() {
        KeyValue kv = leases();
        kv.put("k", new byte[0]).join();
        assertThat(kv.get("k").join().orElseThrow().createdMillis()).isEqualTo(clock.millis());
    }

    @Test
    void housekeepingRemovesExpiredEntriesButNotRewrittenOnes() {
        KeyValue kv = leases();
        kv.put("old", new byte[0]).join();
        kv.put("kept", new byte[0]).join();
        clock.advance(Duration.ofSeconds(8));
        kv.put("kept", new byte[0]).join();
        clock.advance(Duration.ofSeconds(3));
        broker.housekeeping();
        assertThat(kv.keys().join()).containsExactly("kept");
        assertThat(((InMemoryKeyValue) kv).size()).isEqualTo(1);
    }

    @Test
    void bindingAgainKeepsTheFirstConfig() {
        KeyValue first = leases();
        KeyValue again = broker.keyValue(KeyValueConfig.newBuilder("leases").build());
        assertThat(again).isSameAs(first);
        assertThat(((InMemoryKeyValue) again).config().ttl()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void valueLimitIsAlsoTheBrokersMessageSize() {
        InMemoryBroker small = InMemoryBroker.newBuilder().maxMessageSize(4).build();
        try {
            KeyValue kv = small.keyValue(KeyValueConfig.newBuilder("b").maxValueSize(100).build());
            kv.put("k", new byte[4]).join();
            assertThat(reasonOf(kv.put("k", new byte[5]))).isEqualTo(Reason.TOO_LARGE);
        } finally {
            small.close();
        }
    }

    @Test
    void closedBrokerRefusesBucketOperations() {
        KeyValue kv = leases();
        broker.close();
        assertThat(reasonOf(kv.get("k"))).isEqualTo(Reason.UNAVAILABLE);
        assertThat(reasonOf(kv.put("k", new byte[0]))).isEqualTo(Reason.UNAVAILABLE);
    }
}
