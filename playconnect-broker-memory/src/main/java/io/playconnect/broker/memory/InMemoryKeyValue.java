package io.playconnect.broker.memory;

import io.playconnect.core.spi.BrokerException;
import io.playconnect.core.spi.KeyValue;
import io.playconnect.core.spi.KeyValueConfig;
import io.playconnect.core.spi.KvEntry;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A key-value bucket in memory. Each compare-and-set runs atomically on its key's map entry; the
 * revision counter is per bucket, so revisions increase across all of its keys. An entry older than
 * the TTL (counted from its last write) reads as absent at once and is removed by housekeeping.
 * Values are copied in and out: callers own their arrays.
 */
final class InMemoryKeyValue implements KeyValue {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_=-]+(\\.[A-Za-z0-9_=-]+)*");
    private final KeyValueConfig config;
    private final long ttlMillis;
    private final int maxValueSize;
    private final Clock clock;
    private final OpenGuard guard;
    private final ConcurrentHashMap<String, KvEntry> entries = new ConcurrentHashMap<>();
    private final AtomicLong revisions = new AtomicLong();

    InMemoryKeyValue(KeyValueConfig config, int maxMessageSize, Clock clock, OpenGuard guard) {
        this.config = config;
        this.ttlMillis = config.ttl().isZero() ? 0 : Math.max(1, saturatedMillis(config));
        this.maxValueSize = Math.min(config.maxValueSize(), maxMessageSize);
        this.clock = clock;
        this.guard = guard;
    }

    private static long saturatedMillis(KeyValueConfig config) {
        try {
            return config.ttl().toMillis();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    KeyValueConfig config() {
        return config;
    }

    @Override
    public String bucket() {
        return config.bucket();
    }

    private boolean live(KvEntry e, long now) {
        return e != null && (ttlMillis == 0 || now - e.createdMillis() < ttlMillis);
    }

    @Override
    public CompletableFuture<Optional<KvEntry>> get(String key) {
        return run(() -> {
            checkKey(key);
            KvEntry e = entries.get(key);
            if (!live(e, clock.millis())) {
                return Optional.empty();
            }
            return Optional.of(new KvEntry(e.key(), e.value().clone(), e.revision(), e.createdMillis()));
        });
    }

    @Override
    public CompletableFuture<Long> put(String key, byte[] value) {
        return write(key, value, (old, now) -> true);
    }

    @Override
    public CompletableFuture<Long> create(String key, byte[] value) {
        return write(key, value, (old, now) -> !live(old, now));
    }

    @Override
    public CompletableFuture<Long> update(String key, byte[] value, long expectedRevision) {
        return write(key, value, (old, now) -> live(old, now) && old.revision() == expectedRevision);
    }

    private interface Precondition {
        boolean holds(KvEntry old, long now);
    }

    private CompletableFuture<Long> write(String key, byte[] value, Precondition precondition) {
        return run(() -> {
            checkKey(key);
            Objects.requireNonNull(value, "value");
            if (value.length > maxValueSize) {
                throw new BrokerException(BrokerException.Reason.TOO_LARGE, "value of " + value.length
                        + " bytes exceeds bucket " + bucket() + "'s maximum of " + maxValueSize);
            }
            byte[] copy = value.clone();
            long[] written = {0};
            entries.compute(key, (k, old) -> {
                long now = clock.millis();
                if (!precondition.holds(old, now)) {
                    return old;
                }
                written[0] = revisions.incrementAndGet();
                return new KvEntry(k, copy, written[0], now);
            });
            if (written[0] == 0) {
                throw new BrokerException(BrokerException.Reason.KEY_EXISTS_OR_STALE,
                        "key " + key + " in bucket " + bucket() + " exists or has another revision");
            }
            return written[0];
        });
    }

    @Override
    public CompletableFuture<Void> delete(String key) {
        return run(() -> {
            checkKey(key);
            entries.remove(key);
            return null;
        });
    }

    @Override
    public CompletableFuture<List<String>> keys() {
        return run(() -> {
            long now = clock.millis();
            return entries.values().stream().filter(e -> live(e, now)).map(KvEntry::key)
                    .collect(Collectors.toList());
        });
    }

    /** Removes expired entries; an entry rewritten meanwhile stays. */
    void removeExpired() {
        if (ttlMillis == 0) {
            return;
        }
        long now = clock.millis();
        entries.values().removeIf(e -> !live(e, now));
    }

    int size() {
        return entries.size();
    }

    private <T> CompletableFuture<T> run(Supplier<T> op) {
        try {
            guard.check();
            return CompletableFuture.completedFuture(op.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static void checkKey(String key) {
        if (key == null || key.isEmpty() || key.length() > 1024 || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("key must be dot-separated tokens of letters, digits, '-', '_' "
                    + "and '=': " + SubjectSyntax.quote(key));
        }
    }
}
