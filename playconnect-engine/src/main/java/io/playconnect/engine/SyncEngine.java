package io.playconnect.engine;

import io.playconnect.core.Subjects;
import io.playconnect.core.trace.Tracing;
import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.BrokerException;
import io.playconnect.core.spi.KeyValue;
import io.playconnect.core.spi.KeyValueConfig;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The sync engine: owns partitions of rooms through leases, answers commands and state requests
 * over the broker, and keeps each room's log and snapshots. See the package documentation.
 */
public final class SyncEngine implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SyncEngine.class.getName());
    private final EngineConfig config;
    private final Broker broker;
    private final EngineListener listener;
    private final Clock clock;
    private final RoomLogics logics;
    private final Tracing tracing;
    private final List<Partition> partitions = new ArrayList<>();
    private final ScheduledExecutorService timer;
    private LeaseKeeper leases;
    private volatile boolean started;

    private SyncEngine(Builder b) {
        this.config = new EngineConfig(b.partitions, b.engineId, b.dedupWindow, b.snapshotEvery,
                b.snapshotInterval, b.idleTimeout, b.leaseTtl, b.maxPayloadBytes, b.maintenanceInterval);
        this.broker = b.broker;
        this.listener = b.listener;
        this.clock = b.clock;
        this.logics = b.logics;
        this.tracing = b.tracing;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pc-engine-timer");
            t.setDaemon(true);
            return t;
        });
    }

    public static Builder newBuilder() {
        return new Builder();
    }

    public EngineConfig config() {
        return config;
    }

    /**
     * Records (or checks) the partition count, then takes the leases it can. Fails with an
     * {@link IllegalStateException} when the broker records another partition count.
     */
    public synchronized CompletableFuture<Void> start() {
        if (started) {
            return CompletableFuture.completedFuture(null);
        }
        started = true;
        return checkPartitionCount().thenCompose(v -> {
            KeyValue snapshots = broker.keyValue(KeyValueConfig.newBuilder(Subjects.SNAPSHOT_BUCKET).build());
            KeyValue leaseBucket = broker.keyValue(KeyValueConfig.newBuilder(Subjects.LEASE_BUCKET)
                    .ttl(config.leaseTtl()).build());
            EngineContext ctx = new EngineContext(broker, snapshots, config, listener, clock, logics, LOG, tracing);
            for (int i = 0; i < config.partitions(); i++) {
                partitions.add(new Partition(i, ctx));
            }
            leases = new LeaseKeeper(leaseBucket, config.engineId(), partitions, config.leaseTtl());
            return leases.tick();
        }).thenRun(this::scheduleTimers);
    }

    private CompletableFuture<Void> checkPartitionCount() {
        KeyValue kv = broker.keyValue(KeyValueConfig.newBuilder(Subjects.CONFIG_BUCKET).build());
        byte[] mine = Integer.toString(config.partitions()).getBytes(StandardCharsets.US_ASCII);
        return kv.create(Subjects.PARTITIONS_KEY, mine).handle((rev, err) -> err)
                .thenCompose(err -> {
                    if (err == null) {
                        return CompletableFuture.completedFuture(null);
                    }
                    if (BrokerException.reasonOf(err) != BrokerException.Reason.KEY_EXISTS_OR_STALE) {
                        return CompletableFuture.failedFuture(err);
                    }
                    return kv.get(Subjects.PARTITIONS_KEY).thenAccept(e -> {
                        String recorded = e.map(x -> new String(x.value(), StandardCharsets.US_ASCII)).orElse("?");
                        if (!recorded.equals(Integer.toString(config.partitions()))) {
                            throw new IllegalStateException("partition count mismatch: the broker records "
                                    + recorded + ", this engine is configured with " + config.partitions());
                        }
                    });
                });
    }

    private void scheduleTimers() {
        long renew = Math.max(1, config.leaseTtl().toMillis() / 3);
        timer.scheduleWithFixedDelay(() -> leases.tick(), renew, renew, TimeUnit.MILLISECONDS);
        long every = config.maintenanceInterval().toMillis();
        timer.scheduleWithFixedDelay(() -> partitions.forEach(Partition::maintain), every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Stops taking commands, lets queued ones finish, snapshots every room at its head and releases
     * the leases so another engine takes over without waiting for them to expire.
     */
    public CompletableFuture<Void> drain() {
        if (leases == null) {
            return CompletableFuture.completedFuture(null);
        }
        timer.shutdownNow();
        List<CompletableFuture<Void>> flushed = new ArrayList<>();
        for (Partition p : partitions) {
            p.quiesce();
        }
        for (Partition p : partitions) {
            flushed.add(p.flush());
        }
        return CompletableFuture.allOf(flushed.toArray(new CompletableFuture[0]))
                .thenCompose(v -> leases.releaseAll());
    }

    public int partitions() {
        return config.partitions();
    }

    public Set<Integer> ownedPartitions() {
        Set<Integer> owned = new TreeSet<>();
        for (Partition p : partitions) {
            if (p.owned()) {
                owned.add(p.id);
            }
        }
        return owned;
    }

    public int queueDepth(int partition) {
        return partition < partitions.size() ? partitions.get(partition).queueDepth() : 0;
    }

    public int loadedRooms() {
        int n = 0;
        for (Partition p : partitions) {
            n += p.loadedRooms();
        }
        return n;
    }

    /** Stops at once, without snapshots; use {@link #drain()} first for a clean handover. */
    @Override
    public void close() {
        timer.shutdownNow();
        for (Partition p : partitions) {
            p.disown();
            p.shutdown();
        }
    }

    /** Builds a {@link SyncEngine}; every setter checks its argument and names it on failure. */
    public static final class Builder {
        private Broker broker;
        private int partitions = 16;
        private String engineId = "engine-" + UUID.randomUUID();
        private EngineListener listener = new EngineListener() {
        };
        private Clock clock = Clock.systemUTC();
        private RoomLogics logics;
        private int dedupWindow = 1000;
        private int snapshotEvery = 1000;
        private Duration snapshotInterval = Duration.ofMinutes(10);
        private Duration idleTimeout = Duration.ofMinutes(5);
        private Duration leaseTtl = Duration.ofSeconds(10);
        private int maxPayloadBytes = 64 * 1024;
        private Duration maintenanceInterval = Duration.ofSeconds(5);
        private Tracing tracing = Tracing.noop();

        private Builder() {
        }

        public Builder broker(Broker broker) {
            this.broker = Objects.requireNonNull(broker, "broker");
            return this;
        }

        public Builder partitions(int partitions) {
            this.partitions = positive("partitions", partitions, 4096);
            return this;
        }

        public Builder engineId(String engineId) {
            if (engineId == null || engineId.isBlank()) {
                throw new IllegalArgumentException("engineId must not be blank");
            }
            this.engineId = engineId;
            return this;
        }

        public Builder listener(EngineListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder logics(RoomLogics logics) {
            this.logics = Objects.requireNonNull(logics, "logics");
            return this;
        }

        public Builder dedupWindow(int dedupWindow) {
            this.dedupWindow = positive("dedupWindow", dedupWindow, 1_000_000);
            return this;
        }

        public Builder snapshotEvery(int snapshotEvery) {
            this.snapshotEvery = positive("snapshotEvery", snapshotEvery, Integer.MAX_VALUE);
            return this;
        }

        public Builder snapshotInterval(Duration snapshotInterval) {
            this.snapshotInterval = positive("snapshotInterval", snapshotInterval);
            return this;
        }

        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = positive("idleTimeout", idleTimeout);
            return this;
        }

        public Builder leaseTtl(Duration leaseTtl) {
            this.leaseTtl = positive("leaseTtl", leaseTtl);
            return this;
        }

        public Builder maxPayloadBytes(int maxPayloadBytes) {
            this.maxPayloadBytes = positive("maxPayloadBytes", maxPayloadBytes, 16 << 20);
            return this;
        }

        public Builder maintenanceInterval(Duration maintenanceInterval) {
            this.maintenanceInterval = positive("maintenanceInterval", maintenanceInterval);
            return this;
        }

        /** Spans for applied commands and log appends; {@link Tracing#noop()} (off) by default. */
        public Builder tracing(Tracing tracing) {
            this.tracing = Objects.requireNonNull(tracing, "tracing");
            return this;
        }

        public SyncEngine build() {
            if (broker == null) {
                throw new IllegalStateException("broker is required");
            }
            if (logics == null) {
                logics = RoomLogics.discover(SyncEngine.class.getClassLoader());
            }
            return new SyncEngine(this);
        }

        private static int positive(String name, int value, int max) {
            if (value < 1 || value > max) {
                throw new IllegalArgumentException(name + " must be in 1.." + max + ": " + value);
            }
            return value;
        }

        private static Duration positive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + value);
            }
            return value;
        }
    }
}
