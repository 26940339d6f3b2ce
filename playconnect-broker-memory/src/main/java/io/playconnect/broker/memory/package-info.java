/**
 * The in-process broker and stores: the embedded default, so that {@code ./playconnect run} works
 * on a laptop with nothing installed. {@link io.playconnect.broker.memory.InMemoryBroker} implements
 * the whole {@link io.playconnect.core.spi.Broker} SPI (subjects with wildcards and queue groups,
 * request-reply, per-room logs, key-value buckets) inside one JVM;
 * {@link io.playconnect.broker.memory.InMemoryPresenceStore} and
 * {@link io.playconnect.broker.memory.InMemorySessionStore} keep presence and sessions in memory.
 * Nothing survives a restart, which is why a restarted room gets a new epoch.
 *
 * <p>Live messages are delivered synchronously on the publisher's thread: that is the fastest
 * path inside one process, and it means handlers must be quick and must never block. A handler
 * that throws is counted and logged and does not stop delivery to the others.
 *
 * <p>This module may depend on {@code playconnect-core} and the JDK only; logging goes through
 * {@link java.lang.System.Logger}.
 */
package io.playconnect.broker.memory;
