package io.playconnect.core.spi;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A key-value bucket with revisions, compare-and-set and a TTL for the whole bucket (what NATS 2.9
 * offers). Keys are dot-separated tokens of letters, digits, {@code -}, {@code _} and {@code =}.
 * An entry older than the bucket's TTL reads as absent and may be created again.
 */
public interface KeyValue {
    String bucket();

    CompletableFuture<Optional<KvEntry>> get(String key);

    /** Writes unconditionally; completes with the new revision. */
    CompletableFuture<Long> put(String key, byte[] value);

    /**
     * Writes only when the key is absent (never written, deleted, or expired); fails with
     * {@link BrokerException.Reason#KEY_EXISTS_OR_STALE} otherwise.
     */
    CompletableFuture<Long> create(String key, byte[] value);

    /** Writes only when the key's revision is {@code expectedRevision} (compare-and-set). */
    CompletableFuture<Long> update(String key, byte[] value, long expectedRevision);

    CompletableFuture<Void> delete(String key);

    /** The live keys, in no particular order. */
    CompletableFuture<List<String>> keys();
}
