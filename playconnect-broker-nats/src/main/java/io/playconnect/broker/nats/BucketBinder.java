package io.playconnect.broker.nats;

import io.nats.client.JetStreamApiException;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.playconnect.core.spi.KeyValueConfig;

import java.util.concurrent.CompletableFuture;

/**
 * Finds or creates the NATS KV bucket behind a {@link KeyValueConfig}, without blocking: a stream
 * info request, and a stream create request when the bucket is missing (with jnats' own KV stream
 * settings: one value per key, rollups, no deletes, discard new, duplicate window within the TTL).
 * Completes with the largest value the bucket takes. An existing bucket keeps its settings.
 */
final class BucketBinder {
    private final JsApi api;
    private final int maxMessageSize;
    private final StorageType storageType;
    private final int replicas;

    BucketBinder(JsApi api, int maxMessageSize, StorageType storageType, int replicas) {
        this.api = api;
        this.maxMessageSize = maxMessageSize;
        this.storageType = storageType;
        this.replicas = replicas;
    }

    CompletableFuture<Integer> bind(String natsBucket, KeyValueConfig config) {
        String stream = "KV_" + natsBucket;
        return api.request("STREAM.INFO." + stream, new byte[0]).thenCompose(reply -> {
            StreamInfo info = new StreamInfo(reply);
            if (!info.hasError()) {
                return CompletableFuture.completedFuture(valueLimit(info));
            }
            if (info.getApiErrorCode() != Errors.STREAM_NOT_FOUND) {
                return CompletableFuture.failedFuture(new JetStreamApiException(info));
            }
            return create(natsBucket, config);
        });
    }

    private CompletableFuture<Integer> create(String natsBucket, KeyValueConfig config) {
        StreamConfiguration sc = backing(natsBucket, config);
        return api.request("STREAM.CREATE." + sc.getName(), sc.serialize()).thenCompose(reply -> {
            StreamInfo info = new StreamInfo(reply);
            if (!info.hasError()) {
                return CompletableFuture.completedFuture(valueLimit(info));
            }
            if (info.getApiErrorCode() == Errors.STREAM_NAME_IN_USE) {
                // Created meanwhile by another process, perhaps with other settings: those stand.
                return bind(natsBucket, config);
            }
            return CompletableFuture.failedFuture(new JetStreamApiException(info));
        });
    }

    private StreamConfiguration backing(String natsBucket, KeyValueConfig config) {
        long size = Math.min((long) config.maxValueSize() + NatsKeyValue.HEADER_ALLOWANCE, maxMessageSize);
        KeyValueConfiguration.Builder b = KeyValueConfiguration.builder()
                .name(natsBucket)
                .maxHistoryPerKey(1)
                .maxValueSize(size)
                .storageType(storageType)
                .replicas(replicas);
        if (!config.ttl().isZero()) {
            b.ttl(config.ttl());
        }
        return b.build().getBackingConfig();
    }

    /** The stream's message limit less room for the headers of a compare-and-set. */
    private int valueLimit(StreamInfo info) {
        long streamMax = info.getConfiguration().getMaxMsgSize();
        long max = streamMax <= 0 ? maxMessageSize : Math.min(streamMax, maxMessageSize);
        return (int) Math.max(1, max - NatsKeyValue.HEADER_ALLOWANCE);
    }
}
