package io.playconnect.core.spi;

/** A live subscription; {@link #close()} ends it and is idempotent. */
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
