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

    void engine(SyncEngine engine) {
        this.engine = engine;
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
            // One engine per process for now: it must own every partition (with several engines
            // on a shared broker this becomes "the cluster has an owner for each partition").
            int owned = e.ownedPartitions().size();
            if (owned < e.partitions()) {
                return Optional.of("engine owns " + owned + " of " + e.partitions() + " partitions");
            }
        }
        return Optional.empty();
    }
}
