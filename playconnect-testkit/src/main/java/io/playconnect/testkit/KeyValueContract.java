package io.playconnect.testkit;

import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.BrokerException.Reason;
import io.playconnect.core.spi.KeyValue;
import io.playconnect.core.spi.KeyValueConfig;
import io.playconnect.core.spi.KvEntry;
import io.playconnect.core.spi.RoomLogConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.playconnect.testkit.ContractSupport.bytes;
import static io.playconnect.testkit.ContractSupport.failureOf;
import static io.playconnect.testkit.ContractSupport.join;
import static io.playconnect.testkit.ContractSupport.reasonOf;
import static io.playconnect.testkit.ContractSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Key-value buckets of a {@link Broker}: revisions, compare-and-set, delete, keys, a TTL per bucket
 * and a value size limit. Every test uses buckets of its own.
 */
public abstract class KeyValueContract {
    /** Short enough that the TTL test takes about a second. */
    protected static final Duration SHORT_TTL = Duration.ofMillis(500);
    protected Broker broker;
    private String prefix;

    /** A new, open broker; the suite closes it after the test. */
    protected abstract Broker newBroker(RoomLogConfig logConfig);

    @BeforeEach
    void openBroker() {
        broker = newBroker(RoomLogConfig.defaults());
        prefix = "kv" + ContractSupport.unique();
    }

    @AfterEach
    void closeBroker() {
        broker.close();
    }

    private KeyValue bucket(String name) {
        return broker.keyValue(KeyValueConfig.newBuilder(prefix + "-" + name).build());
    }

    private static String value(CompletableFuture<Optional<KvEntry>> get) {
        return join(get).map(e -> text(e.value())).orElse(null);
    }

    @Test
    void absentKeyReadsEmpty() {
        assertThat(join(bucket("a").get("missing"))).isEmpty();
    }

    @Test
    void putThenGet() {
        KeyValue kv = bucket("a");
        long rev = join(kv.put("k.1", bytes("v1")));
        KvEntry entry = join(kv.get("k.1")).orElseThrow();
        assertThat(entry.key()).isEqualTo("k.1");
        assertThat(text(entry.value())).isEqualTo("v1");
        assertThat(entry.revision()).isEqualTo(rev);
        long rev2 = join(kv.put("k.1", bytes("v2")));
        assertThat(rev2).isGreaterThan(rev);
        assertThat(value(kv.get("k.1"))).isEqualTo("v2");
    }

    @Test
    void revisionsIncrease() {
        KeyValue kv = bucket("a");
        List<Long> revisions = new ArrayList<>();
        revisions.add(join(kv.put("a", bytes("1"))));
        revisions.add(join(kv.create("b", bytes("1"))));
        revisions.add(join(kv.update("a", bytes("2"), revisions.get(0))));
        revisions.add(join(kv.put("b", bytes("2"))));
        assertThat(revisions).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void createOnExistingKeyFails() {
        KeyValue kv = bucket("a");
        join(kv.create("lease", bytes("owner-1")));
        assertThat(reasonOf(() -> kv.create("lease", bytes("owner-2")))).isEqualTo(Reason.KEY_EXISTS_OR_STALE);
        assertThat(value(kv.get("lease"))).isEqualTo("owner-1");
    }

    @Test
    void updateNeedsTheCurrentRevision() {
        KeyValue kv = bucket("a");
        long first = join(kv.create("k", bytes("1")));
        long second = join(kv.update("k", bytes("2"), first));
        assertThat(second).isGreaterThan(first);
        assertThat(reasonOf(() -> kv.update("k", bytes("stale"), first))).isEqualTo(Reason.KEY_EXISTS_OR_STALE);
        assertThat(reasonOf(() -> kv.update("absent", bytes("x"), first))).isEqualTo(Reason.KEY_EXISTS_OR_STALE);
        assertThat(value(kv.get("k"))).isEqualTo("2");
    }

    @Test
    void deleteThenCreateWorks() {
        KeyValue kv = bucket("a");
        long rev = join(kv.create("k", bytes("1")));
        join(kv.delete("k"));
        assertThat(join(kv.get("k"))).isEmpty();
        assertThat(reasonOf(() -> kv.update("k", bytes("x"), rev))).isEqualTo(Reason.KEY_EXISTS_OR_STALE);
        long again = join(kv.create("k", bytes("2")));
        assertThat(again).isGreaterThan(rev);
        assertThat(value(kv.get("k"))).isEqualTo("2");
        join(kv.delete("never-written"));
    }

    @Test
    void keysListsLiveKeys() {
        KeyValue kv = bucket("a");
        join(kv.put("a", bytes("1")));
        join(kv.put("b.c", bytes("2")));
        join(kv.put("d", bytes("3")));
        join(kv.delete("d"));
        assertThat(join(kv.keys())).containsExactlyInAnyOrder("a", "b.c");
        assertThat(join(bucket("empty").keys())).isEmpty();
    }

    @Test
    void bucketsAreSeparate() {
        join(bucket("one").put("k", bytes("1")));
        assertThat(join(bucket("two").get("k"))).isEmpty();
    }

    @Test
    void bindingTheSameBucketTwiceSeesTheSameData() {
        KeyValue first = bucket("shared");
        KeyValue second = bucket("shared");
        long rev = join(first.put("k", bytes("v")));
        assertThat(join(second.get("k"))).hasValueSatisfying(e -> assertThat(e.revision()).isEqualTo(rev));
        assertThat(reasonOf(() -> second.create("k", bytes("w")))).isEqualTo(Reason.KEY_EXISTS_OR_STALE);
        assertThat(first.bucket()).isEqualTo(second.bucket()).isEqualTo(prefix + "-shared");
    }

    @Test
    void entryOlderThanTheTtlReadsAbsentAndCanBeCreatedAgain() {
        KeyValue kv = broker.keyValue(KeyValueConfig.newBuilder(prefix + "-ttl").ttl(SHORT_TTL).build());
        long start = System.nanoTime();
        long rev = join(kv.create("lease", bytes("owner-1")));
        Optional<KvEntry> fresh = join(kv.get("lease"));
        if (Duration.ofNanos(System.nanoTime() - start).compareTo(SHORT_TTL) < 0) {
            assertThat(fresh).isPresent();
            assertThat(reasonOf(() -> kv.create("lease", bytes("owner-2")))).isEqualTo(Reason.KEY_EXISTS_OR_STALE);
        }
        ContractSupport.eventually().until(() -> join(kv.get("lease")).isEmpty());
        assertThat(join(kv.keys())).doesNotContain("lease");
        assertThat(join(kv.create("lease", bytes("owner-2")))).isGreaterThan(rev);
    }

    @Test
    void valueAboveMaxValueSizeIsRefusedTooLarge() {
        KeyValue kv = broker.keyValue(KeyValueConfig.newBuilder(prefix + "-small").maxValueSize(16).build());
        join(kv.put("ok", new byte[16]));
        assertThat(reasonOf(() -> kv.put("k", new byte[17]))).isEqualTo(Reason.TOO_LARGE);
        assertThat(reasonOf(() -> kv.create("k", new byte[17]))).isEqualTo(Reason.TOO_LARGE);
        assertThat(reasonOf(() -> kv.update("ok", new byte[17], 1))).isEqualTo(Reason.TOO_LARGE);
        assertThat(join(kv.get("k"))).isEmpty();
        assertThat(join(kv.get("ok")).orElseThrow().value()).hasSize(16);
    }

    @Test
    void invalidKeysAreRefused() {
        KeyValue kv = bucket("a");
        for (String bad : new String[] {"", ".a", "a.", "a..b", "a b", "a*", "a>", "ä"}) {
            assertThat(failureOf(() -> kv.put(bad, bytes("x")))).as("key %s", bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(failureOf(() -> kv.get(bad))).as("key %s", bad).isInstanceOf(IllegalArgumentException.class);
        }
        join(kv.put("Aa0-_=.b", bytes("fine")));
    }

    @Test
    void storedValueIsACopy() {
        KeyValue kv = bucket("a");
        byte[] value = bytes("original");
        join(kv.put("k", value));
        value[0] = 'X';
        assertThat(value(kv.get("k"))).isEqualTo("original");
    }

    @Test
    void concurrentCompareAndSetLosesNoUpdate() throws Exception {
        KeyValue kv = bucket("cas");
        join(kv.create("counter", bytes("0")));
        int threads = 4;
        int incrementsEach = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> conflicts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                conflicts.add(pool.submit(() -> increment(kv, incrementsEach)));
            }
            for (Future<Integer> f : conflicts) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(value(kv.get("counter"))).isEqualTo(String.valueOf(threads * incrementsEach));
    }

    /** Increments the counter {@code times} times by compare-and-set; returns the conflicts seen. */
    private static int increment(KeyValue kv, int times) {
        int conflicts = 0;
        for (int done = 0; done < times; ) {
            KvEntry e = join(kv.get("counter")).orElseThrow();
            long next = Long.parseLong(text(e.value())) + 1;
            CompletableFuture<Long> f = kv.update("counter", bytes(String.valueOf(next)), e.revision());
            if (join(f.handle((r, err) -> err == null))) {
                done++;
            } else {
                assertThat(reasonOf(() -> f)).isEqualTo(Reason.KEY_EXISTS_OR_STALE);
                conflicts++;
            }
        }
        return conflicts;
    }
}
