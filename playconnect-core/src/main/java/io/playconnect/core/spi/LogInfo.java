package io.playconnect.core.spi;

/**
 * A room log's state: its epoch, the first retained seq and the last seq. An empty log has
 * {@code lastSeq == firstSeq - 1}.
 */
public record LogInfo(String epoch, long firstSeq, long lastSeq) {
    public boolean isEmpty() {
        return lastSeq < firstSeq;
    }
}
