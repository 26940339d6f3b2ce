package io.playconnect.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.playconnect.core.CommandResult;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.RoomId;
import io.playconnect.engine.EngineListener;
import io.playconnect.engine.SyncEngine;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static io.playconnect.server.MetricNames.*;

/**
 * Turns what the engine reports into meters. Called on partition threads: every meter is looked up
 * once and cached, so the hot path is a map read and an increment. The room kind becomes a tag
 * only for kinds the engine knows (an unknown kind is {@code other}), and at most
 * {@link #MAX_KINDS} of them, so a client cannot grow the number of series.
 */
final class EngineMetrics implements EngineListener {
    static final int MAX_KINDS = 32;

    private final MeterRegistry registry;
    private final Timer latency;
    private final Map<String, KindCounters> commandsByKind = new ConcurrentHashMap<>();
    private final Map<ErrorCode, Counter> rejections = new ConcurrentHashMap<>();

    EngineMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.latency = Timer.builder(ENGINE_COMMAND_LATENCY)
                .description("Time from a command's arrival at the engine to its answer")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }

    /** Registers the gauges that read the engine; call once it is built. */
    void bindGauges(SyncEngine engine) {
        for (int p = 0; p < engine.partitions(); p++) {
            int partition = p;
            Gauge.builder(ENGINE_PARTITION_QUEUE_DEPTH, engine, e -> e.queueDepth(partition))
                    .description("Commands waiting in a partition's queue")
                    .tag(TAG_PARTITION, Integer.toString(p))
                    .register(registry);
        }
        Gauge.builder(ENGINE_ROOMS_LOADED, engine, SyncEngine::loadedRooms)
                .description("Rooms held in memory").register(registry);
        Gauge.builder(ENGINE_PARTITIONS_OWNED, engine, e -> e.ownedPartitions().size())
                .description("Partitions whose lease this engine holds").register(registry);
    }

    @Override
    public void onCommand(RoomId room, String type, CommandResult result, long nanos) {
        latency.record(nanos, TimeUnit.NANOSECONDS);
        String outcome;
        String kind = room.kind();
        if (result instanceof CommandResult.Rejected rejected) {
            ErrorCode code = rejected.code();
            outcome = code.wireName();
            rejections.computeIfAbsent(code, c -> Counter.builder(ENGINE_REJECTIONS)
                    .description("Commands the engine refused, by error code")
                    .tag(TAG_CODE, c.wireName()).register(registry)).increment();
            if (code == ErrorCode.UNKNOWN_KIND) {
                kind = KIND_OTHER;
            }
        } else {
            outcome = RESULT_ACCEPTED;
        }
        KindCounters counters = commands(kind);
        counters.byResult().computeIfAbsent(outcome, o -> Counter.builder(ENGINE_COMMANDS)
                .description("Commands the engine answered, by room kind and result")
                .tag(TAG_KIND, counters.kind()).tag(TAG_RESULT, o).register(registry)).increment();
    }

    /** The counters of one {@code kind} tag value, by result. */
    private record KindCounters(String kind, Map<String, Counter> byResult) {
    }

    private KindCounters commands(String kind) {
        KindCounters counters = commandsByKind.get(kind);
        if (counters != null) {
            return counters;
        }
        String tag = commandsByKind.size() >= MAX_KINDS ? KIND_OTHER : kind;
        return commandsByKind.computeIfAbsent(tag, k -> new KindCounters(k, new ConcurrentHashMap<>()));
    }
}
