package io.playconnect.core;

import java.util.Objects;

/**
 * A place in a room's history: the log's epoch and the seq of the last event seen. A client resumes
 * from it; seq 0 means "nothing seen yet".
 */
public record StreamPosition(String epoch, long seq) {
    public StreamPosition {
        Objects.requireNonNull(epoch, "epoch");
        if (seq < 0) {
            throw new IllegalArgumentException("seq must be >= 0: " + seq);
        }
    }
}
