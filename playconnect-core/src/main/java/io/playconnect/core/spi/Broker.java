package io.playconnect.core.spi;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The message broker between gateways and engines. Subjects are dot-separated tokens; subscriptions
 * may use {@code *} (one token) and {@code >} (one or more trailing tokens), as in NATS.
 */
public interface Broker extends AutoCloseable {

    /** Publishes to every matching subscription (one member per queue group). Fire and forget. */
    void publish(String subject, byte[] data);

    /** Subscribes to a subject or wildcard pattern. */
    Subscription subscribe(String subject, MessageHandler handler);

    /**
     * Subscribes as a member of a queue group: each message goes to one member of the group.
     *
     * @param queueGroup a group name, or null for a plain subscription
     */
    Subscription subscribe(String subject, String queueGroup, MessageHandler handler);

    /**
     * Sends a request and waits for the first reply. The future fails with {@link BrokerException}
     * of reason {@link BrokerException.Reason#NO_RESPONDERS} when nobody is subscribed, and
     * {@link BrokerException.Reason#TIMEOUT} when nobody answered in time.
     */
    CompletableFuture<Message> request(String subject, byte[] data, Duration timeout);

    /** The per-room logs. */
    RoomLog roomLog();

    /** Creates the bucket if it does not exist, or binds to it if it does. */
    KeyValue keyValue(KeyValueConfig config);

    /** Largest message the broker carries, in bytes; payload limits must stay below it. */
    int maxMessageSize();

    @Override
    void close();
}
