package io.playconnect.store.mvstore;

/**
 * One change for the {@link GroupCommitWriter}: applied on the writer thread, then finished once the
 * batch it belongs to is durable. A refusal (a failed fence or compare-and-set) is thrown by
 * {@link #apply()} as a {@link io.playconnect.core.spi.BrokerException} before anything is changed;
 * any other exception from {@link #apply()} means the store itself failed.
 */
abstract class WriteOp {

    /** Applies the change to the store's maps; returns whether anything was changed. */
    abstract boolean apply();

    /**
     * Called on the writer thread after the batch was committed and synced, in submission order;
     * {@code failure} is the refusal thrown by {@link #apply()}, or why the batch was not stored,
     * or null when the change is durable.
     */
    abstract void finish(Throwable failure);
}
