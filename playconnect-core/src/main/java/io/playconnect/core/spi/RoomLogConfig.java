package io.playconnect.core.spi;

import java.time.Duration;
import java.util.Objects;

/** Retention of room logs: by record count per room and by age. Immutable; see {@link #newBuilder()}. */
public final class RoomLogConfig {
    private final int maxRecordsPerRoom;
    private final Duration maxAge;

    private RoomLogConfig(Builder b) {
        this.maxRecordsPerRoom = b.maxRecordsPerRoom;
        this.maxAge = b.maxAge;
    }

    public static Builder newBuilder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().maxRecordsPerRoom(maxRecordsPerRoom).maxAge(maxAge);
    }

    public static RoomLogConfig defaults() {
        return newBuilder().build();
    }

    public int maxRecordsPerRoom() {
        return maxRecordsPerRoom;
    }

    public Duration maxAge() {
        return maxAge;
    }

    /** Builder with defaults of 10,000 records and 24 hours. */
    public static final class Builder {
        private int maxRecordsPerRoom = 10_000;
        private Duration maxAge = Duration.ofHours(24);

        public Builder maxRecordsPerRoom(int maxRecordsPerRoom) {
            if (maxRecordsPerRoom < 2) {
                throw new IllegalArgumentException("maxRecordsPerRoom must be >= 2: " + maxRecordsPerRoom);
            }
            this.maxRecordsPerRoom = maxRecordsPerRoom;
            return this;
        }

        public Builder maxAge(Duration maxAge) {
            Objects.requireNonNull(maxAge, "maxAge");
            if (maxAge.isNegative() || maxAge.isZero()) {
                throw new IllegalArgumentException("maxAge must be positive: " + maxAge);
            }
            this.maxAge = maxAge;
            return this;
        }

        public RoomLogConfig build() {
            return new RoomLogConfig(this);
        }
    }
}
