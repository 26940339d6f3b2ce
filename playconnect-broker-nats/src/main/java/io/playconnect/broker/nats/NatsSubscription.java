package io.playconnect.broker.nats;

import io.nats.client.Dispatcher;
import io.playconnect.core.spi.Subscription;

/**
 * A subscription on one of the broker's dispatchers. Closing stops delivery at once, even of a
 * message the dispatcher already holds, and tells the server.
 */
final class NatsSubscription implements Subscription {
    private final Dispatcher dispatcher;
    private volatile io.nats.client.Subscription subscription;
    private volatile boolean closed;

    NatsSubscription(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    void bind(io.nats.client.Subscription subscription) {
        this.subscription = subscription;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        io.nats.client.Subscription s = subscription;
        if (s != null && s.isActive()) {
            try {
                dispatcher.unsubscribe(s);
            } catch (RuntimeException e) {
                // The connection is closed: the server dropped the subscription with it.
            }
        }
    }
}
