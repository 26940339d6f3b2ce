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
 */
final class LeaseKeeper {
    private final KeyValue leases;
    private final byte[] engineId;
    private final List<Partition> partitions;
    private final long[] revisions;
    private final boolean[] held;
    private final long validNanos;
    private boolean released;

    LeaseKeeper(KeyValue leases, String engineId, List<Partition> partitions, java.time.Duration ttl) {
        this.leases = leases;
        this.validNanos = ttl.toNanos() - ttl.toNanos() / 5;
        this.engineId = engineId.getBytes(StandardCharsets.UTF_8);
        this.partitions = partitions;
        this.revisions = new long[partitions.size()];
        this.held = new boolean[partitions.size()];
    }

    /** One round: renew what is owned, try to take what is not. Completes when every try is answered. */
    synchronized CompletableFuture<Void> tick() {
        List<CompletableFuture<?>> all = new ArrayList<>(partitions.size());
        if (released) {
            return CompletableFuture.completedFuture(null);
        }
        for (Partition p : partitions) {
            all.add(held[p.id] ? renew(p) : contend(p));
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture[0]));
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
        return leases.create(Subjects.lease(p.id), engineId).handle((rev, err) -> {
            synchronized (this) {
                if (err == null && !released) {
                    revisions[p.id] = rev;
                    held[p.id] = true;
                    p.leaseValidUntil(sent + validNanos);
                    p.own();
                }
            }
            return null;
        });
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
        return CompletableFuture.allOf(all.toArray(new CompletableFuture[0]));
    }
}
