/**
 * The PlayConnect {@link io.playconnect.core.spi.Broker} on NATS with JetStream, for running
 * engines and gateways in several processes. {@link io.playconnect.broker.nats.JetStreamBroker}
 * carries live messages, queue groups and request-reply on core NATS; keeps every room's log as one
 * subject of one JetStream stream, with appends fenced by the server's expected-last-subject-sequence
 * check; delivers only stored records live through the stream's RePublish; and keeps key-value
 * buckets (leases, snapshots, settings) as NATS KV buckets. Settings are
 * {@link io.playconnect.broker.nats.JetStreamBrokerOptions}. docs/operations.md ("NATS JetStream")
 * lists the stream and bucket layout.
 *
 * <p>Every operation is asynchronous except connecting, subscribing (which waits for the server to
 * confirm the subscription) and binding a bucket. Handlers and listeners run on jnats dispatcher
 * threads, and futures complete on jnats threads: callbacks must be quick and must never block.
 *
 * <p>This module may depend on {@code playconnect-core} and jnats ({@code io.nats:jnats}) only;
 * logging goes through {@link java.lang.System.Logger}.
 */
package io.playconnect.broker.nats;
