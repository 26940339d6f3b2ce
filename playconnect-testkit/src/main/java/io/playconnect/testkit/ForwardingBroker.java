package io.playconnect.testkit;

import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.KeyValue;
import io.playconnect.core.spi.KeyValueConfig;
import io.playconnect.core.spi.Message;
import io.playconnect.core.spi.MessageHandler;
import io.playconnect.core.spi.RoomLog;
import io.playconnect.core.spi.Subscription;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A view of a real broker that passes every call through: a test subclass overrides only what it
 * disturbs (holds requests back, delays answers, ...), so the rest stays the real thing. Closing the
 * view leaves the real broker open, because the test's fixture owns and closes it.
 */
public class ForwardingBroker implements Broker {
    private final Broker delegate;

    public ForwardingBroker(Broker delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The real broker behind this view. */
    protected final Broker delegate() {
        return delegate;
    }

    @Override
    public void publish(String subject, byte[] data) {
        delegate.publish(subject, data);
    }

    @Override
    public Subscription subscribe(String subject, MessageHandler handler) {
        return delegate.subscribe(subject, handler);
    }

    @Override
    public Subscription subscribe(String subject, String queueGroup, MessageHandler handler) {
        return delegate.subscribe(subject, queueGroup, handler);
    }

    @Override
    public CompletableFuture<Message> request(String subject, byte[] data, Duration timeout) {
        return delegate.request(subject, data, timeout);
    }

    @Override
    public RoomLog roomLog() {
        return delegate.roomLog();
    }

    @Override
    public KeyValue keyValue(KeyValueConfig config) {
        return delegate.keyValue(config);
    }

    @Override
    public int maxMessageSize() {
        return delegate.maxMessageSize();
    }

    /** Does not close the real broker: the fixture that made it closes it. */
    @Override
    public void close() {
    }
}
