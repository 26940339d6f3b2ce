/**
 * Contract suites that every {@link io.playconnect.core.spi.Broker},
 * {@link io.playconnect.core.spi.PresenceStore} and {@link io.playconnect.core.spi.SessionStore}
 * implementation runs unchanged: the in-process broker today, NATS JetStream and Redis later. An
 * implementation's test extends {@link io.playconnect.testkit.BrokerContract},
 * {@link io.playconnect.testkit.RoomLogContract}, {@link io.playconnect.testkit.KeyValueContract},
 * {@link io.playconnect.testkit.PresenceStoreContract} or
 * {@link io.playconnect.testkit.SessionStoreContract} and implements the factory method.
 *
 * <p>The suites name their subjects, rooms, buckets and sessions uniquely per test, so they can run
 * against a shared server that keeps state between tests. They wait with generous deadlines and use
 * short TTLs, so a suite takes seconds and never fails because a machine is slow.
 *
 * <p>{@link io.playconnect.testkit.NodeSuite} runs one of the repository's Node client suites
 * (under {@code clients/}) from a gateway's JUnit test against its in-process server.
 *
 * <p>{@link io.playconnect.testkit.history} holds a history checker for tests that kill and pause
 * processes: it judges what clients sent, were acknowledged and received.
 *
 * <p>{@link io.playconnect.testkit.ForwardingBroker} is a pass-through view of a real broker for
 * tests that disturb one call (hold or delay requests) and leave the rest real.
 *
 * <p>This module may depend on {@code playconnect-core}, JUnit 5, AssertJ and Awaitility only.
 */
package io.playconnect.testkit;
