package io.playconnect.core.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/** A bucket's name, TTL (zero for none) and largest value. Immutable; see {@link #newBuilder(String)}. */
public final class KeyValueConfig {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private final String bucket;
    private final Duration ttl;
    private final int maxValueSize;

    private KeyValueConfig(Builder b) {
        this.bucket = b.bucket;
        this.ttl = b.ttl;
        this.maxValueSize = b.maxValueSize;
    }

    public static Builder newBuilder(String bucket) {
        return new Builder(bucket);
    }

    public Builder toBuilder() {
        return new Builder(bucket).ttl(ttl).maxValueSize(maxValueSize);
    }

    public String bucket() {
        return bucket;
    }

    /** Zero means entries never expire. */
    public Duration ttl() {
        return ttl;
    }

    public int maxValueSize() {
        return maxValueSize;
    }

    /** Builder; defaults: no TTL, values up to 1 MiB. */
    public static final class Builder {
        private final String bucket;
        private Duration ttl = Duration.ZERO;
        private int maxValueSize = 1 << 20;

        private Builder(String bucket) {
            if (bucket == null || !NAME.matcher(bucket).matches()) {
                throw new IllegalArgumentException("bucket must match " + NAME + ": " + bucket);
            }
            this.bucket = bucket;
        }

        public Builder ttl(Duration ttl) {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.isNegative()) {
                throw new IllegalArgumentException("ttl must not be negative: " + ttl);
            }
            this.ttl = ttl;
            return this;
        }

        public Builder maxValueSize(int maxValueSize) {
            if (maxValueSize < 1) {
                throw new IllegalArgumentException("maxValueSize must be >= 1: " + maxValueSize);
            }
            this.maxValueSize = maxValueSize;
            return this;
        }

        public KeyValueConfig build() {
            return new KeyValueConfig(this);
        }
    }
}
