package io.playconnect.engine;

import io.playconnect.broker.memory.InMemoryBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Engines on one broker divide the partitions: an engine that joins gets its share from the
 * one that took them all (handed over, not waited out), and when it leaves (drain) or dies (its
 * key and leases expire) the others take everything again. Every partition has exactly one owner
 * once the rounds settle.
 */
class FairShareTest {
    private static final Duration TTL = Duration.ofMillis(900);
    private static final int PARTITIONS = 8;
    private final InMemoryBroker broker = InMemoryBroker.create();
    private final List<SyncEngine> engines = new ArrayList<>();

    @AfterEach
    void close() {
        engines.forEach(SyncEngine::close);
        broker.close();
    }

    private SyncEngine start(String id) {
        SyncEngine e = SyncEngine.newBuilder().broker(broker).engineId(id).partitions(PARTITIONS).leaseTtl(TTL).build();
        engines.add(e);
        e.start().join();
        return e;
    }

    private static boolean eachOwnedOnce(List<SyncEngine> owners) {
        Set<Integer> all = new HashSet<>();
        int total = 0;
        for (SyncEngine e : owners) {
            all.addAll(e.ownedPartitions());
            total += e.ownedPartitions().size();
        }
        return all.size() == PARTITIONS && total == PARTITIONS;
    }

    @Test
    void aJoiningEngineGetsItsShareAndADrainedOneGivesItsShareBack() {
        SyncEngine a = start("engine-a");
        await().atMost(Duration.ofSeconds(10)).until(() -> a.ownedPartitions().size() == PARTITIONS);

        SyncEngine b = start("engine-b");
        await().atMost(Duration.ofSeconds(10)).until(() -> a.ownedPartitions().size() == PARTITIONS / 2
                && b.ownedPartitions().size() == PARTITIONS / 2 && eachOwnedOnce(List.of(a, b)));

        b.drain().join();
        await().atMost(Duration.ofSeconds(10)).until(() -> a.ownedPartitions().size() == PARTITIONS);
        assertThat(b.ownedPartitions()).isEmpty();
    }

    @Test
    void whenAnEngineDiesTheOthersShareGrowsBackToEveryPartition() {
        SyncEngine a = start("engine-a");
        SyncEngine b = start("engine-b");
        SyncEngine c = start("engine-c");
        await().atMost(Duration.ofSeconds(10)).until(() -> eachOwnedOnce(List.of(a, b, c))
                && a.ownedPartitions().size() <= 3 && b.ownedPartitions().size() <= 3 && c.ownedPartitions().size() <= 3);

        c.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> eachOwnedOnce(List.of(a, b))
                && a.ownedPartitions().size() == PARTITIONS / 2 && b.ownedPartitions().size() == PARTITIONS / 2);
    }
}
