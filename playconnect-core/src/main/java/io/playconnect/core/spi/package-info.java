/**
 * The service-provider interfaces the parts of PlayConnect Sync meet at: {@link
 * io.playconnect.core.spi.Broker} (live fan-out with wildcards and queue groups, request-reply,
 * the per-room log and key-value buckets), {@link io.playconnect.core.spi.PresenceStore} and
 * {@link io.playconnect.core.spi.SessionStore}. Implementations live in their own modules
 * ({@code playconnect-broker-memory}, {@code -broker-nats}, {@code -store-redis}) and all pass the
 * contract suites in {@code playconnect-testkit}.
 *
 * <p>All operations are asynchronous and never block the caller's thread. Handlers are called on a
 * broker thread (for the in-process broker, the publisher's own thread): they must be quick, must
 * not block and must be safe to call from any thread.
 */
package io.playconnect.core.spi;
