package io.playconnect.gateway.mqtt;

import io.playconnect.core.spi.Broker;
import io.playconnect.core.spi.KeyValue;
import io.playconnect.core.spi.KeyValueConfig;
import io.playconnect.core.spi.Message;
import io.playconnect.core.spi.MessageHandler;
import io.playconnect.core.spi.RoomLog;
import io.playconnect.core.spi.Subscription;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The edge's view of the broker with the engine's answers to some commands held back: a request
 * whose body contains {@code marker} completes {@code delay} later, so commands to different rooms
 * are answered out of the order they were sent.
 */
final class DelayingBroker implements Broker {
    private final Broker delegate;
    private final String marker;
    private final Executor later;

    DelayingBroker(Broker delegate, String marker, Duration delay) {
        this.delegate = delegate;
        this.marker = marker;
        this.later = CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletableFuture<Message> request(String subject, byte[] data, Duration timeout) {
        CompletableFuture<Message> answer = delegate.request(subject, data, timeout);
        if (!new String(data, StandardCharsets.UTF_8).contains(marker)) {
            return answer;
        }
        return answer.thenApplyAsync(m -> m, later);
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

    @Override
    public void close() {
        // The delegate belongs to the fixture.
    }
}
