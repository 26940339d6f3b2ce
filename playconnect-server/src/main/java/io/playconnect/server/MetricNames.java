package io.playconnect.server;

/**
 * Names of the server's own meters, as registered with Micrometer; the Prometheus name each
 * becomes on {@code /metrics} is in its comment. Dashboards and alerts rely on these: change them
 * only with a note in docs/operations.md.
 */
public final class MetricNames {
    /** {@code playconnect_engine_commands_total{kind,result}}: result is {@code accepted} or the error code. */
    public static final String ENGINE_COMMANDS = "playconnect.engine.commands";
    /** {@code playconnect_engine_rejections_total{code}}. */
    public static final String ENGINE_REJECTIONS = "playconnect.engine.rejections";
    /** {@code playconnect_engine_command_latency_seconds} (histogram): arrival at the engine to its answer. */
    public static final String ENGINE_COMMAND_LATENCY = "playconnect.engine.command.latency";
    /** {@code playconnect_engine_partition_queue_depth{partition}}: commands waiting per partition. */
    public static final String ENGINE_PARTITION_QUEUE_DEPTH = "playconnect.engine.partition.queue.depth";
    /** {@code playconnect_engine_rooms_loaded}: rooms held in memory. */
    public static final String ENGINE_ROOMS_LOADED = "playconnect.engine.rooms.loaded";
    /** {@code playconnect_engine_partitions_owned}: partitions whose lease this engine holds. */
    public static final String ENGINE_PARTITIONS_OWNED = "playconnect.engine.partitions.owned";
    /** {@code playconnect_server_draining}: 1 while the server drains after SIGTERM, else 0. */
    public static final String SERVER_DRAINING = "playconnect.server.draining";

    /** {@code playconnect_engine_partitions}: the configured partition count ({@code --partitions}). */
    public static final String ENGINE_PARTITIONS = "playconnect.engine.partitions";
    /** {@code playconnect_server_max_connections}: {@code --max-connections} (gateway role only). */
    public static final String SERVER_MAX_CONNECTIONS = "playconnect.server.max.connections";
    /** {@code playconnect_broker_connected{broker}}: 1 while connected to the broker ({@code nats} or {@code memory}). */
    public static final String BROKER_CONNECTED = "playconnect.broker.connected";

    public static final String TAG_BROKER = "broker";
    public static final String TAG_KIND = "kind";
    public static final String TAG_RESULT = "result";
    public static final String TAG_CODE = "code";
    public static final String TAG_PARTITION = "partition";
    /** The {@code result} of an accepted command. */
    public static final String RESULT_ACCEPTED = "accepted";
    /** The {@code kind} used once too many distinct kinds were seen, and for unknown kinds. */
    public static final String KIND_OTHER = "other";

    private MetricNames() {
    }
}
