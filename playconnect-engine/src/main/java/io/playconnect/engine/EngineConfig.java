package io.playconnect.engine;

import java.time.Duration;

/**
 * The engine's settings, validated by {@link SyncEngine.Builder}.
 *
 * @param partitions partition count; recorded in the broker, every engine must agree
 * @param dedupWindow accepted commands remembered per room for de-duplication
 * @param snapshotEvery commits between snapshots; keep below half the log's count retention
 * @param snapshotInterval time between snapshots of a busy room; keep below half the log's age retention
 * @param idleTimeout a room with no command for this long is snapshotted and leaves memory
 * @param leaseTtl partition lease lifetime; renewed every third of it
 * @param maxPayloadBytes the largest command payload accepted
 * @param maintenanceInterval how often partitions look for idle rooms and due snapshots
 */
public record EngineConfig(int partitions, String engineId, int dedupWindow, int snapshotEvery,
                           Duration snapshotInterval, Duration idleTimeout, Duration leaseTtl,
                           int maxPayloadBytes, Duration maintenanceInterval) {
}
