package io.playconnect.server;

import io.playconnect.engine.SyncEngine;

import java.util.Optional;

/**
 * Whether this process should get traffic: not while starting, not while draining, and (with the
 * engine role) only once the engine owns its partitions. Read by {@code /readyz}; written by the
 * start and drain sequences.
 */
final class Readiness {
    private volatile boolean started;
    private volatile boolean draining;
    private volatile SyncEngine engine;
    private volatile boolean engineStarted;
    private volatile boolean soleEngine;

    /** @param soleEngine true when no other engine can share the broker (the in-process one) */
    void engine(SyncEngine engine, boolean soleEngine) {
        this.engine = engine;
        this.soleEngine = soleEngine;
    }

    void engineStarted() {
        this.engineStarted = true;
    }

    void started() {
        this.started = true;
    }

    void draining() {
        this.draining = true;
    }

    boolean isDraining() {
        return draining;
    }

    /** Empty when ready, otherwise why not. */
    Optional<String> notReadyReason() {
        if (draining) {
            return Optional.of("draining");
        }
        if (!started) {
            return Optional.of("starting");
        }
        SyncEngine e = engine;
        if (e != null) {
            if (!engineStarted) {
                return Optional.of("engine starting");
            }
            // Alone on its broker, the engine must own every partition; beside other engines it
            // owns its share, which the leases decide.
            int owned = e.ownedPartitions().size();
            if (soleEngine && owned < e.partitions()) {
                return Optional.of("engine owns " + owned + " of " + e.partitions() + " partitions");
            }
        }
        return Optional.empty();
    }
}
