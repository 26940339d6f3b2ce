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
 */
final class LeaseKeeper {
    private final KeyValue leases;
    private final byte[] engineId;
    private final List<Partition> partitions;
    private final long[] revisions;
    private final boolean[] held;
    private boolean released;

    LeaseKeeper(KeyValue leases, String engineId, List<Partition> partitions) {
        this.leases = leases;
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
        return leases.update(Subjects.lease(p.id), engineId, revisions[p.id]).handle((rev, err) -> {
            synchronized (this) {
                if (err == null) {
                    revisions[p.id] = rev;
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
        return leases.create(Subjects.lease(p.id), engineId).handle((rev, err) -> {
            synchronized (this) {
                if (err == null && !released) {
                    revisions[p.id] = rev;
                    held[p.id] = true;
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
