package io.playconnect.engine;

import io.playconnect.core.Subjects;
import io.playconnect.core.spi.KeyValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Partition leases in a key-value bucket whose TTL is the lease lifetime: an engine owns a
 * partition while it keeps renewing the key it created (compare-and-set on the revision); a
 * contender polls {@code create}, which succeeds once the old lease expired or was released.
 *
 * <p>Each successful write also tells the partition until when it may act on its own clock: four
 * fifths of the TTL after the write was <em>sent</em>. The store cannot expire the entry before the
 * TTL has passed since it stored the write, which is later, so a partition stops answering before
 * anyone else can own it, even if this process was paused and has not yet heard that it lost it.
 *
 * <p>Engines share the partitions: each keeps a key {@code engine.<id>} alive in the same bucket
 * (so it vanishes with the TTL when the engine dies), counts the live ones at every round and
 * holds at most its fair share, the partition count divided by the live engines, rounded up. An
 * engine above its share (a new engine joined) hands the surplus over the way a drain does: it
 * stops taking their commands, snapshots their rooms, then deletes their leases, so the others
 * take them at their next round without waiting for expiry. One below its share takes free
 * partitions; one that wins a partition it has no room for gives it back at once.
 */
final class LeaseKeeper {
    private final KeyValue leases;
    private final byte[] engineId;
    private final List<Partition> partitions;
    private final long[] revisions;
    private final boolean[] held;
    private final long validNanos;
    private final String engineKey;
    private boolean released;
    /** Live engines at the last round that could count them (this one included). */
    private int liveEngines = 1;

    LeaseKeeper(KeyValue leases, String engineId, List<Partition> partitions, java.time.Duration ttl) {
        this.leases = leases;
        this.validNanos = ttl.toNanos() - ttl.toNanos() / 5;
        this.engineId = engineId.getBytes(StandardCharsets.UTF_8);
        this.partitions = partitions;
        this.revisions = new long[partitions.size()];
        this.held = new boolean[partitions.size()];
        this.engineKey = ENGINE_KEY_PREFIX + engineId.replaceAll("[^A-Za-z0-9_=-]", "_");
    }

    static final String ENGINE_KEY_PREFIX = "engine.";

    /**
     * One round: announce this engine, count the live ones, renew what is owned, hand over what is
     * above the fair share, try to take what is not owned. Completes when every try is answered.
     */
    CompletableFuture<Void> tick() {
        synchronized (this) {
            if (released) {
                return CompletableFuture.completedFuture(null);
            }
        }
        return leases.put(engineKey, engineId).handle((rev, err) -> null)
                .thenCompose(v -> leases.keys().handle((keys, err) -> {
                    if (err == null) {
                        countEngines(keys);
                    }
                    return null;
                }))
                .thenCompose(v -> leaseRound());
    }

    private synchronized void countEngines(List<String> keys) {
        int n = 0;
        boolean self = false;
        for (String k : keys) {
            if (k.startsWith(ENGINE_KEY_PREFIX)) {
                n++;
                self |= k.equals(engineKey);
            }
        }
        liveEngines = Math.max(1, self ? n : n + 1);
    }

    /** The most partitions this engine should hold now. */
    synchronized int fairShare() {
        return (partitions.size() + liveEngines - 1) / liveEngines;
    }

    private synchronized int heldCount() {
        int n = 0;
        for (boolean h : held) {
            n += h ? 1 : 0;
        }
        return n;
    }

    private synchronized CompletableFuture<Void> leaseRound() {
        List<CompletableFuture<?>> all = new ArrayList<>(partitions.size());
        if (released) {
            return CompletableFuture.completedFuture(null);
        }
        int surplus = heldCount() - fairShare();
        for (int i = partitions.size() - 1; i >= 0 && surplus > 0; i--) {
            if (held[i]) {
                all.add(handOver(partitions.get(i)));
                surplus--;
            }
        }
        for (Partition p : partitions) {
            all.add(held[p.id] ? renew(p) : contend(p));
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture[0]));
    }

    /** Gives one partition to the others as a drain would: no new commands, rooms snapshotted, lease deleted. */
    private CompletableFuture<?> handOver(Partition p) {
        held[p.id] = false;
        p.quiesce();
        return p.flush().thenCompose(v -> leases.delete(Subjects.lease(p.id))).handle((v, err) -> {
            synchronized (this) {
                if (!held[p.id]) {
                    p.disown();
                }
            }
            return null;
        });
    }

    private CompletableFuture<?> renew(Partition p) {
        long sent = System.nanoTime();
        return leases.update(Subjects.lease(p.id), engineId, revisions[p.id]).handle((rev, err) -> {
            synchronized (this) {
                if (err == null) {
                    revisions[p.id] = rev;
                    p.leaseValidUntil(sent + validNanos);
                } else {
                    // Someone else holds it now, or it expired while we were paused: stop answering.
                    held[p.id] = false;
                    p.disown();
                }
            }
            return null;
        });
    }

    private CompletableFuture<?> contend(Partition p) {
        long sent = System.nanoTime();
        return leases.create(Subjects.lease(p.id), engineId).thenCompose(rev -> {
            synchronized (this) {
                if (!released && heldCount() < fairShare()) {
                    revisions[p.id] = rev;
                    held[p.id] = true;
                    p.leaseValidUntil(sent + validNanos);
                    p.own();
                    return CompletableFuture.completedFuture(null);
                }
            }
            // Won, but no room for it (or released meanwhile): give it back at once.
            return leases.delete(Subjects.lease(p.id));
        }).handle((v, err) -> null);
    }

    /** Gives every owned partition back so another engine can take it at once. */
    synchronized CompletableFuture<Void> releaseAll() {
        List<CompletableFuture<?>> all = new ArrayList<>();
        released = true;
        for (Partition p : partitions) {
            p.disown();
            if (held[p.id]) {
                held[p.id] = false;
                all.add(leases.delete(Subjects.lease(p.id)).exceptionally(e -> null));
            }
        }
        // The others count one engine fewer at their next round and take the partitions at once.
        all.add(leases.delete(engineKey).exceptionally(e -> null));
        return CompletableFuture.allOf(all.toArray(new CompletableFuture[0]));
    }
}
