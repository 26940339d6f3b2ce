/**
 * The embedded broker with durable storage: {@code playconnect run --data-dir DIR}. Room logs and
 * key-value buckets without a TTL (snapshots, cluster settings) live in one H2 MVStore file in the
 * data directory; live messaging, request-reply and buckets with a TTL (partition leases, which a
 * restart must forget anyway) stay in an in-process {@link io.playconnect.broker.memory.InMemoryBroker}.
 *
 * <p><b>Commit before ack.</b> Every change goes through one writer thread that applies a batch of
 * waiting operations, commits the MVStore once and forces the file to disk once (group commit),
 * and only then completes the operations' futures and hands the stored records to live
 * subscribers. An append whose future completed survives a crash of the process and of the
 * machine; one that had not completed may or may not, and nobody was told it was stored.
 *
 * <p>This module may depend on {@code playconnect-core}, {@code playconnect-broker-memory}, H2's
 * MVStore and the JDK only; logging goes through {@link java.lang.System.Logger}.
 */
package io.playconnect.store.mvstore;
